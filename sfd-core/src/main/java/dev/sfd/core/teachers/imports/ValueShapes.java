package dev.sfd.core.teachers.imports;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.TeacherMetadata;
import dev.sfd.core.distill.TeacherInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the shapes of inner values of a contract-shaped teacher by running it once on a batch
 * of two (exported graphs often carry no shape information for inner values). Also proves that
 * the wrapped model runs and returns ε shaped like x.
 */
final class ValueShapes {

    private ValueShapes() {
    }

    /** Width D of {@code value} if it is shaped [2, D] for a batch of two, else −1. */
    static long width(OnnxModel model, String value) {
        return widths(model, List.of(value)).getOrDefault(value, -1L);
    }

    static Map<String, Long> widths(OnnxModel model, List<String> values) {
        ModelProto.Builder b = model.proto().toBuilder();
        var g = b.getGraphBuilder();
        for (String v : values) {
            g.addOutput(ValueInfoProto.newBuilder().setName(v));
        }
        long[] sample = TeacherInfo.parseShape(model.metadata().get(TeacherMetadata.SAMPLE_SHAPE));
        int classes = Integer.parseInt(model.metadata().getOrDefault(TeacherMetadata.CLASSES, "0"));
        double tMin = Double.parseDouble(model.metadata().get(TeacherMetadata.T_MIN));
        double tMax = Double.parseDouble(model.metadata().get(TeacherMetadata.T_MAX));
        long[] dims = new long[sample.length + 1];
        dims[0] = 2;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(0.37 * i);
        }
        float mid = (float) Math.sqrt(tMin * tMax);
        Map<String, Long> out = new LinkedHashMap<>();
        try (OrtSession s = OrtSessions.open("import probe", b.build().toByteArray(), SessionConfig.cpu(1))) {
            Map<String, OnnxTensor> in = new HashMap<>();
            try {
                in.put(TeacherMetadata.X, OrtTensors.of(x, dims));
                in.put(TeacherMetadata.T, OrtTensors.of(new float[] {mid, (float) tMax}, 2));
                if (classes > 0) {
                    in.put(TeacherMetadata.COND, OrtTensors.longs(new long[] {0, -1}, 2));
                }
                try (OrtSession.Result r = s.run(in)) {
                    long[] eps = ((OnnxTensor) r.get(TeacherMetadata.EPS).orElseThrow()).getInfo().getShape();
                    if (!java.util.Arrays.equals(eps, dims)) {
                        throw new ImportException("--output NAME", "the imported model returns "
                                + java.util.Arrays.toString(eps) + " for x " + java.util.Arrays.toString(dims)
                                + ": the prediction must be shaped like the sample");
                    }
                    for (String v : values) {
                        OnnxValue val = r.get(v).orElse(null);
                        if (val instanceof OnnxTensor t) {
                            long[] sh = t.getInfo().getShape();
                            out.put(v, sh.length == 2 && sh[0] == 2 ? sh[1] : -1L);
                        }
                    }
                }
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("the imported model does not run in ONNX Runtime: " + e.getMessage(), e);
        }
        return out;
    }
}
