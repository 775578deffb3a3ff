package dev.sfd.core.teachers;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.onnx.OnnxModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks an ONNX teacher against the shared teacher contract and says exactly what is wrong:
 * inputs exactly {@code x} float [B, …sample_shape], {@code t} float [B] and (when
 * {@code sfd.cond.classes} &gt; 0) {@code cond} int64 [B]; output {@code eps} float of x's rank;
 * metadata {@code sfd.kind=teacher}, a known {@code sfd.dataset} (a built-in one, or {@code custom}
 * for imported teachers), {@code sfd.sample_shape}, 0 &lt; {@code sfd.t_min} &lt; {@code sfd.t_max},
 * {@code sfd.cond.classes} ≥ 0, {@code sfd.time_embedding} naming a value some node produces (or
 * {@code none}: fixed-N students), {@code sfd.time_embedding.dim} &gt; 0 (0 with {@code none}),
 * {@code sfd.recipe} a JSON object and {@code sfd.code_version} present. {@link #describe} also
 * says whether the graph can be distilled ({@link Distillability}).
 */
public final class TeacherContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TeacherContract() {
    }

    /** Every violation found (empty = the model satisfies the contract). */
    public static List<String> problems(OnnxModel model) {
        List<String> p = new ArrayList<>();
        Map<String, String> meta = model.metadata();
        require(p, meta, TeacherMetadata.KIND).ifPresent(v -> {
            if (!v.equals(TeacherMetadata.KIND_TEACHER)) {
                p.add("metadata " + TeacherMetadata.KIND + " is '" + v + "', expected 'teacher'");
            }
        });
        require(p, meta, TeacherMetadata.DATASET).ifPresent(v -> {
            if (!TeacherDatasets.NAMES.contains(v) && !v.equals(TeacherDatasets.CUSTOM)) {
                p.add("metadata " + TeacherMetadata.DATASET + " is '" + v + "', expected one of " + TeacherDatasets.NAMES
                        + " or '" + TeacherDatasets.CUSTOM + "' (any other data; 'sfd teacher import' writes it)");
            }
        });
        long[] sampleShape = require(p, meta, TeacherMetadata.SAMPLE_SHAPE).map(v -> parseShape(p, v)).orElse(null);
        double tMin = require(p, meta, TeacherMetadata.T_MIN).map(v -> parseDouble(p, TeacherMetadata.T_MIN, v)).orElse(Double.NaN);
        double tMax = require(p, meta, TeacherMetadata.T_MAX).map(v -> parseDouble(p, TeacherMetadata.T_MAX, v)).orElse(Double.NaN);
        if (!Double.isNaN(tMin) && !Double.isNaN(tMax) && !(tMin > 0 && tMax > tMin)) {
            p.add("noise range is invalid: need 0 < " + TeacherMetadata.T_MIN + " < " + TeacherMetadata.T_MAX + ", got "
                    + tMin + " and " + tMax);
        }
        int classes = require(p, meta, TeacherMetadata.CLASSES).map(v -> (int) parseLong(p, TeacherMetadata.CLASSES, v, 0))
                .orElse(-1);
        boolean noEmbedding = TeacherMetadata.NONE.equals(meta.get(TeacherMetadata.TIME_EMBEDDING));
        require(p, meta, TeacherMetadata.TIME_EMBEDDING).ifPresent(v -> {
            if (!v.equals(TeacherMetadata.NONE) && !producedValues(model).contains(v)) {
                p.add("metadata " + TeacherMetadata.TIME_EMBEDDING + " names '" + v
                        + "', but no node of the graph produces a value of that name");
            }
        });
        require(p, meta, TeacherMetadata.TIME_EMBEDDING_DIM)
                .ifPresent(v -> parseLong(p, TeacherMetadata.TIME_EMBEDDING_DIM, v, noEmbedding ? 0 : 1));
        require(p, meta, TeacherMetadata.RECIPE).ifPresent(v -> {
            try {
                JsonNode n = JSON.readTree(v);
                if (n == null || !n.isObject()) {
                    p.add("metadata " + TeacherMetadata.RECIPE + " is not a JSON object: " + v);
                }
            } catch (Exception e) {
                p.add("metadata " + TeacherMetadata.RECIPE + " is not valid JSON: " + e.getMessage());
            }
        });
        require(p, meta, TeacherMetadata.CODE_VERSION);
        checkSignature(p, model, sampleShape, classes);
        return p;
    }

    /** Throws {@link IllegalArgumentException} listing every violation, naming the model {@code what}. */
    public static OnnxModel requireValid(String what, OnnxModel model) {
        List<String> p = problems(model);
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("'" + what + "' is not a valid SFD teacher (" + p.size() + " problem"
                    + (p.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", p));
        }
        return model;
    }

    /** A human-readable summary: inputs, outputs, parameter count and metadata. */
    public static String describe(OnnxModel model) {
        StringBuilder sb = new StringBuilder();
        sb.append("graph: ").append(model.name()).append('\n');
        model.graph().getInputList().forEach(v -> sb.append("input:  ").append(describe(v)).append('\n'));
        model.graph().getOutputList().forEach(v -> sb.append("output: ").append(describe(v)).append('\n'));
        sb.append("parameters: ").append(model.parameterCount()).append('\n');
        model.metadata().forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        List<String> p = problems(model);
        sb.append(p.isEmpty() ? "contract: OK" : "contract: " + p.size() + " problem(s)\n  - " + String.join("\n  - ", p));
        sb.append('\n');
        if (!p.isEmpty() && !model.metadata().containsKey(TeacherMetadata.KIND)) {
            sb.append("fix: a foreign export becomes a teacher with 'sfd teacher import <model.onnx>' (metadata added, "
                    + "graph untouched)\n");
        }
        return sb.append(Distillability.describe(model)).toString();
    }

    private static void checkSignature(List<String> p, OnnxModel model, long[] sampleShape, int classes) {
        List<String> expected = new ArrayList<>(List.of(TeacherMetadata.X, TeacherMetadata.T));
        if (classes > 0) {
            expected.add(TeacherMetadata.COND);
        }
        List<String> actual = model.inputNames();
        if (!actual.equals(expected) && !(actual.size() == expected.size() && actual.containsAll(expected))) {
            p.add("inputs are " + actual + ", expected " + expected
                    + (classes > 0 ? " (sfd.cond.classes=" + classes + " needs the int64 'cond' input)" : ""));
        }
        for (ValueInfoProto v : model.graph().getInputList()) {
            switch (v.getName()) {
                case TeacherMetadata.X -> {
                    checkType(p, v, DataType.FLOAT);
                    if (sampleShape != null) {
                        checkDims(p, v, sampleShape);
                    }
                }
                case TeacherMetadata.T -> {
                    checkType(p, v, DataType.FLOAT);
                    checkRank(p, v, 1);
                }
                case TeacherMetadata.COND -> {
                    checkType(p, v, DataType.INT64);
                    checkRank(p, v, 1);
                }
                default -> { }
            }
        }
        List<ValueInfoProto> eps = model.graph().getOutputList().stream()
                .filter(o -> o.getName().equals(TeacherMetadata.EPS)).toList();
        if (eps.isEmpty()) {
            p.add("outputs are " + model.outputNames() + ", expected one named '" + TeacherMetadata.EPS + "'");
        } else {
            checkType(p, eps.get(0), DataType.FLOAT);
            if (sampleShape != null) {
                checkRank(p, eps.get(0), sampleShape.length + 1);
            }
        }
    }

    private static void checkType(List<String> p, ValueInfoProto v, DataType type) {
        int actual = v.getType().getTensorType().getElemType();
        if (actual != type.getNumber()) {
            p.add("'" + v.getName() + "' has element type " + DataType.forNumber(actual) + ", expected " + type);
        }
    }

    private static void checkRank(List<String> p, ValueInfoProto v, int rank) {
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        if (v.getType().getTensorType().hasShape() && shape.getDimCount() != rank) {
            p.add("'" + v.getName() + "' has rank " + shape.getDimCount() + ", expected " + rank);
        }
    }

    private static void checkDims(List<String> p, ValueInfoProto v, long[] sampleShape) {
        checkRank(p, v, sampleShape.length + 1);
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        if (shape.getDimCount() != sampleShape.length + 1) {
            return;
        }
        for (int i = 0; i < sampleShape.length; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i + 1);
            if (d.hasDimValue() && d.getDimValue() != sampleShape[i]) {
                p.add("'" + v.getName() + "' has dims " + describe(v) + " but " + TeacherMetadata.SAMPLE_SHAPE + " is "
                        + Arrays.toString(sampleShape));
                return;
            }
        }
    }

    private static List<String> producedValues(OnnxModel model) {
        List<String> out = new ArrayList<>();
        for (NodeProto n : model.graph().getNodeList()) {
            out.addAll(n.getOutputList());
        }
        return out;
    }

    private static java.util.Optional<String> require(List<String> p, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null || v.isBlank()) {
            p.add("metadata " + key + " is missing");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(v);
    }

    private static long[] parseShape(List<String> p, String v) {
        try {
            long[] s = Arrays.stream(v.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
            if (s.length == 0 || Arrays.stream(s).anyMatch(d -> d < 1)) {
                throw new NumberFormatException("dimensions must be >= 1");
            }
            return s;
        } catch (NumberFormatException e) {
            p.add("metadata " + TeacherMetadata.SAMPLE_SHAPE + " is '" + v + "', expected positive sizes like '3,16,16'");
            return null;
        }
    }

    private static double parseDouble(List<String> p, String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            p.add("metadata " + key + " is '" + v + "', expected a number");
            return Double.NaN;
        }
    }

    private static long parseLong(List<String> p, String key, String v, long min) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < min) {
                p.add("metadata " + key + " is " + n + ", expected >= " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            p.add("metadata " + key + " is '" + v + "', expected an integer");
            return -1;
        }
    }

    private static String describe(ValueInfoProto v) {
        var t = v.getType().getTensorType();
        String dims = t.hasShape() ? t.getShape().getDimList().stream()
                .map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam().isEmpty() ? "?" : d.getDimParam())
                .collect(Collectors.joining(", ", "[", "]")) : "[?]";
        return v.getName() + ": " + DataType.forNumber(t.getElemType()) + dims;
    }
}
