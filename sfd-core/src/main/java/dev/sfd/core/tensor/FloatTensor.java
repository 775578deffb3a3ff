package dev.sfd.core.tensor;

import java.util.Arrays;

/**
 * A dense row-major float32 tensor on the Java heap: the exchange format between the diffusion
 * math, the ONNX Runtime wrappers, trajectory records and metrics. The first dimension is the
 * batch unless a caller says otherwise.
 */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " elements but data has " + data.length);
        }
    }

    public static FloatTensor zeros(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return new FloatTensor(shape.clone(), new float[Math.toIntExact(n)]);
    }

    /** Tensors of one sample shape joined along the batch axis (axis 0), in order. */
    public static FloatTensor concat(java.util.List<FloatTensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate: give at least one tensor");
        }
        int n = parts.stream().mapToInt(FloatTensor::batch).sum();
        int per = parts.get(0).sampleSize();
        float[] out = new float[Math.multiplyExact(n, per)];
        int at = 0;
        for (FloatTensor t : parts) {
            if (t.sampleSize() != per) {
                throw new IllegalArgumentException("cannot concatenate a tensor of " + t.sampleSize()
                        + " values per sample onto ones of " + per + ": every part needs the same sample shape");
            }
            System.arraycopy(t.data(), 0, out, at, t.data().length);
            at += t.data().length;
        }
        long[] shape = parts.get(0).shape().clone();
        shape[0] = n;
        return new FloatTensor(shape, out);
    }

    /** Batch size: the first dimension. */
    public int batch() {
        return Math.toIntExact(shape[0]);
    }

    /** Number of elements of one sample (product of all dimensions but the first). */
    public int sampleSize() {
        return shape[0] == 0 ? 0 : data.length / batch();
    }

    public int rank() {
        return shape.length;
    }

    /** A copy of sample {@code i} as a flat array. */
    public float[] sample(int i) {
        int d = sampleSize();
        return Arrays.copyOfRange(data, i * d, (i + 1) * d);
    }

    public FloatTensor copy() {
        return new FloatTensor(shape.clone(), data.clone());
    }

    /** Throws with {@code what} in the message if any element is NaN or infinite. */
    public FloatTensor requireFinite(String what) {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException(what + " has a non-finite value " + data[i]
                        + " at flat index " + i + " (shape " + Arrays.toString(shape) + ")");
            }
        }
        return this;
    }

    /** Throws with {@code what} in the message unless the shape equals {@code expected}. */
    public FloatTensor requireShape(String what, long... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException(what + " has shape " + Arrays.toString(shape)
                    + ", expected " + Arrays.toString(expected));
        }
        return this;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
