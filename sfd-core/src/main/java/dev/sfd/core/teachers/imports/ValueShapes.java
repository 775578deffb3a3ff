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

    private static int onnxType(ai.onnxruntime.OnnxJavaType t) {
        return switch (t) {
            case FLOAT -> 1;
            case DOUBLE -> 11;
            case INT64 -> 7;
            case INT32 -> 6;
            case BOOL -> 9;
            case INT8 -> 3;
            case UINT8 -> 2;
            case FLOAT16 -> 10;
            default -> -1;
        };
    }

    /** Width D of {@code value} if it is shaped [2, D] for a batch of two, else −1. */
    static long width(OnnxModel model, String value) {
        long[] s = probe(model).get(value);
        return s != null && s.length == 2 && s[0] == 2 ? s[1] : -1L;
    }

    /** Widths of the values shaped [2, D] among {@code values} (others map to −1). */
    static Map<String, Long> widths(OnnxModel model, List<String> values) {
        Map<String, long[]> shapes = probe(model);
        Map<String, Long> out = new LinkedHashMap<>();
        for (String v : values) {
            long[] s = shapes.get(v);
            out.put(v, s != null && s.length == 2 && s[0] == 2 ? s[1] : -1L);
        }
        return out;
    }

    /**
     * The model with a rank-only value_info (element type and rank, no sizes) for every tensor a
     * node computes, as measured: exported graphs rarely carry ranks through Shape-driven
     * Reshapes, and the gradient rules of MatMul and friends need them. The computation is unchanged.
     */
    static OnnxModel withMeasuredRanks(OnnxModel model) {
        Map<String, long[]> shapes = probe(model);
        java.util.Set<String> known = new java.util.HashSet<>();
        model.graph().getInputList().forEach(v -> known.add(v.getName()));
        model.graph().getOutputList().forEach(v -> known.add(v.getName()));
        model.graph().getValueInfoList().forEach(v -> known.add(v.getName()));
        ModelProto.Builder b = model.proto().toBuilder();
        var g = b.getGraphBuilder();
        for (var e : shapes.entrySet()) {
            if (known.contains(e.getKey()) || !TYPES.containsKey(e.getKey())) {
                continue;
            }
            var shape = ai.onnx.proto.OnnxMl.TensorShapeProto.newBuilder();
            for (int i = 0; i < e.getValue().length; i++) {
                shape.addDim(ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder());
            }
            g.addValueInfo(ValueInfoProto.newBuilder().setName(e.getKey()).setType(
                    ai.onnx.proto.OnnxMl.TypeProto.newBuilder().setTensorType(ai.onnx.proto.OnnxMl.TypeProto.Tensor
                            .newBuilder().setElemType(TYPES.get(e.getKey())).setShape(shape))));
        }
        return new OnnxModel(b.build());
    }

    private static final Map<String, Integer> TYPES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Shapes of every tensor the nodes compute, for a batch of two. */
    static Map<String, long[]> probe(OnnxModel model) {
        ModelProto.Builder b = model.proto().toBuilder();
        var g = b.getGraphBuilder();
        java.util.Set<String> outputs = new java.util.HashSet<>(model.outputNames());
        List<String> values = new java.util.ArrayList<>();
        for (var n : model.graph().getNodeList()) {
            for (String o : n.getOutputList()) {
                if (!o.isEmpty() && !outputs.contains(o)) {
                    values.add(o);
                    g.addOutput(ValueInfoProto.newBuilder().setName(o));
                }
            }
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
        Map<String, long[]> out = new LinkedHashMap<>();
        try (OrtSession s = OrtSessions.open("import probe", b.build().toByteArray(), SessionConfig.cpu(1))) {
            Map<String, OnnxTensor> in = new HashMap<>();
            try {
                in.put(TeacherMetadata.X, OrtTensors.of(x, dims));
                in.put(TeacherMetadata.T, OrtTensors.of(new float[] {mid, (float) tMax}, 2));
                if (classes > 0) {
                    in.put(TeacherMetadata.COND, OrtTensors.longs(new long[] {0, -1}, 2));
                }
                String embedding = model.metadata().get(TeacherMetadata.COND_EMBEDDING);
                if (embedding != null) { // a float embedding per sample; symbolic sizes probed as 1
                    long[] e = TeacherInfo.parseShape(embedding);
                    long[] ed = new long[e.length + 1];
                    ed[0] = 2;
                    int m = 2;
                    for (int i = 0; i < e.length; i++) {
                        ed[i + 1] = Math.max(1, e[i]);
                        m *= (int) ed[i + 1];
                    }
                    float[] c = new float[m];
                    for (int i = 0; i < m; i++) {
                        c[i] = (float) Math.cos(0.23 * i);
                    }
                    in.put(TeacherMetadata.COND, OrtTensors.of(c, ed));
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
                            out.put(v, t.getInfo().getShape());
                            int type = onnxType(t.getInfo().type);
                            if (type > 0) {
                                TYPES.put(v, type);
                            }
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
