package dev.sfd.core.diffusion.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** Small ONNX Runtime helpers shared by the ONNX-backed noise models: describing, checking, converting. */
final class OrtIo {

    private OrtIo() {
    }

    /** Closes a session, turning ORT's checked exception into an unchecked one. */
    static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close ONNX session: " + e.getMessage(), e);
        }
    }

    /** "name: FLOAT[-1, 2], …" for every input of a session (−1 = symbolic dimension). */
    static String describeInputs(OrtSession session) {
        try {
            return describe(session.getInputInfo());
        } catch (OrtException e) {
            return "(cannot read inputs: " + e.getMessage() + ")";
        }
    }

    static String describe(Map<String, NodeInfo> infos) {
        return infos.values().stream().map(OrtIo::describe).collect(Collectors.joining(", ", "[", "]"));
    }

    static String describe(NodeInfo info) {
        if (info.getInfo() instanceof TensorInfo ti) {
            return info.getName() + ": " + ti.type + Arrays.toString(ti.getShape());
        }
        return info.getName() + ": " + info.getInfo();
    }

    /** The tensor info of input {@code name}, or null if the session has no such input. */
    static TensorInfo tensorInput(OrtSession session, String name) throws OrtException {
        NodeInfo info = session.getInputInfo().get(name);
        if (info == null) {
            return null;
        }
        if (!(info.getInfo() instanceof TensorInfo ti)) {
            throw new IllegalArgumentException("input '" + name + "' is not a tensor: " + info.getInfo());
        }
        return ti;
    }

    static OnnxTensor floatTensor(FloatTensor t) throws OrtException {
        return OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(t.data()), t.shape());
    }

    static OnnxTensor floatVector(float[] v, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(v), shape);
    }

    static OnnxTensor longVector(long[] v, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(OrtSessions.environment(), LongBuffer.wrap(v), shape);
    }

    /** Output {@code name} of a run as a FloatTensor; checks dtype and shape against {@code expectedShape}. */
    static FloatTensor floatOutput(String model, OrtSession.Result result, String name, long[] expectedShape)
            throws OrtException {
        OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException(
                "ONNX model '" + model + "' produced no output '" + name + "'"));
        if (!(v instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
            throw new IllegalStateException("ONNX model '" + model + "' output '" + name + "' is not a float tensor: "
                    + v.getInfo());
        }
        long[] shape = t.getInfo().getShape();
        if (!Arrays.equals(shape, expectedShape)) {
            throw new IllegalStateException("ONNX model '" + model + "' output '" + name + "' has shape "
                    + Arrays.toString(shape) + ", expected " + Arrays.toString(expectedShape));
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] data = new float[fb.remaining()];
        fb.get(data);
        return new FloatTensor(shape, data);
    }

    /** Throws unless {@code actual} fits the declared shape (declared dims > 0 must match; batch dim skipped). */
    static void checkAgainstDeclared(String model, String input, long[] declared, long[] actual) {
        boolean ok = declared.length == actual.length;
        for (int i = 1; ok && i < declared.length; i++) {
            ok = declared[i] <= 0 || declared[i] == actual[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("ONNX model '" + model + "' input '" + input + "' is declared as "
                    + Arrays.toString(declared) + " but was given shape " + Arrays.toString(actual));
        }
    }
}
