package dev.sfd.core.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Converts between Java arrays and ONNX {@link TensorProto}s (raw little-endian data). */
public final class Tensors {

    private Tensors() {
    }

    public static TensorProto floats(String name, long[] dims, float[] data) {
        checkCount(name, dims, data.length);
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        return proto(name, DataType.FLOAT, dims, buf);
    }

    public static TensorProto doubles(String name, long[] dims, double[] data) {
        checkCount(name, dims, data.length);
        ByteBuffer buf = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(data);
        return proto(name, DataType.DOUBLE, dims, buf);
    }

    public static TensorProto longs(String name, long[] dims, long[] data) {
        checkCount(name, dims, data.length);
        ByteBuffer buf = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        return proto(name, DataType.INT64, dims, buf);
    }

    /** A FLOAT or DOUBLE tensor from double values. */
    public static TensorProto ofType(DataType type, String name, long[] dims, double[] data) {
        return switch (type) {
            case DOUBLE -> doubles(name, dims, data);
            case FLOAT -> {
                float[] f = new float[data.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) data[i];
                }
                yield floats(name, dims, f);
            }
            default -> throw new IllegalArgumentException("tensor '" + name + "': only FLOAT or DOUBLE, got " + type);
        };
    }

    /** Values of a FLOAT or DOUBLE tensor as doubles (raw data or typed fields). */
    public static double[] toDoubles(TensorProto t) {
        int n = Math.toIntExact(count(t.getDimsList().stream().mapToLong(Long::longValue).toArray()));
        double[] out = new double[n];
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (t.getDataType()) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = t.hasRawData() ? raw.getFloat(4 * i) : t.getFloatData(i);
                }
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = t.hasRawData() ? raw.getDouble(8 * i) : t.getDoubleData(i);
                }
            }
            default -> throw new IllegalArgumentException("tensor '" + t.getName() + "' has data type "
                    + t.getDataType() + ", expected FLOAT or DOUBLE");
        }
        return out;
    }

    public static float[] toFloats(TensorProto t) {
        double[] d = toDoubles(t);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Values of an INT64 tensor (raw data or int64_data). */
    public static long[] toLongs(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.INT64_VALUE) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' is not INT64");
        }
        if (!t.hasRawData()) {
            return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[raw.remaining() / 8];
        raw.asLongBuffer().get(out);
        return out;
    }

    public static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    public static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    private static TensorProto proto(String name, DataType type, long[] dims, ByteBuffer buf) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) {
            b.addDims(d);
        }
        buf.rewind();
        return b.setRawData(ByteString.copyFrom(buf)).build();
    }

    private static void checkCount(String name, long[] dims, int length) {
        if (count(dims) != length) {
            throw new IllegalArgumentException("tensor '" + name + "': dims " + Arrays.toString(dims) + " need "
                    + count(dims) + " values, got " + length);
        }
    }
}
