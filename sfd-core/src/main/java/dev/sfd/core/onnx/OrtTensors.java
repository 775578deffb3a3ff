package dev.sfd.core.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Converts between {@link FloatTensor} and ONNX Runtime tensors. Inputs are created over direct,
 * native-order buffers, which ONNX Runtime uses without another copy.
 */
public final class OrtTensors {

    private OrtTensors() {
    }

    public static OnnxTensor of(FloatTensor t) {
        FloatBuffer buf = ByteBuffer.allocateDirect(4 * t.data().length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buf.put(t.data()).rewind();
        return create(buf, t.shape());
    }

    public static OnnxTensor of(float[] data, long... shape) {
        return of(new FloatTensor(shape, data));
    }

    /** A zeroed direct, native-order float buffer of {@code n} elements (usable by ONNX Runtime without a copy). */
    public static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * A tensor over {@code buf} (direct, native order) without a copy: ONNX Runtime reads inputs
     * from and writes pinned outputs into the buffer's memory.
     */
    public static OnnxTensor wrap(FloatBuffer buf, long... shape) {
        if (!buf.isDirect() || buf.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("wrap needs a direct, native-order buffer");
        }
        return create(buf, shape);
    }

    public static OnnxTensor scalar(float value) {
        return of(new float[] {value});
    }

    public static OnnxTensor longs(long[] data, long... shape) {
        LongBuffer buf = ByteBuffer.allocateDirect(8 * data.length).order(ByteOrder.nativeOrder()).asLongBuffer();
        buf.put(data).rewind();
        try {
            return OnnxTensor.createTensor(OrtSessions.environment(), buf, shape);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create int64 tensor of shape " + Arrays.toString(shape), e);
        }
    }

    /** A heap copy of a float32 ONNX Runtime tensor. */
    public static FloatTensor toFloatTensor(OnnxTensor t) {
        if (t.getInfo().type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException("expected a float32 tensor, got " + t.getInfo());
        }
        FloatBuffer buf = t.getFloatBuffer();
        float[] data = new float[buf.remaining()];
        buf.get(data);
        return new FloatTensor(t.getInfo().getShape(), data);
    }

    private static OnnxTensor create(FloatBuffer buf, long[] shape) {
        try {
            return OnnxTensor.createTensor(OrtSessions.environment(), buf, shape);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create float tensor of shape " + Arrays.toString(shape), e);
        }
    }
}
