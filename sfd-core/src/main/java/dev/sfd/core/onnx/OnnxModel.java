package dev.sfd.core.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable ONNX model: load, save, inspect and edit (each edit returns a new model).
 * Parameters are the floating-point initializers.
 */
public record OnnxModel(ModelProto proto) {

    public static OnnxModel load(Path file) {
        try {
            return parse(file.toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model " + file, e);
        }
    }

    public static OnnxModel parse(String name, byte[] bytes) {
        try {
            return new OnnxModel(ModelProto.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("'" + name + "' is not an ONNX model (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        }
    }

    public byte[] toBytes() {
        return proto.toByteArray();
    }

    public void save(Path file) {
        try {
            Files.write(file, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model " + file, e);
        }
    }

    public GraphProto graph() {
        return proto.getGraph();
    }

    public String name() {
        return proto.getGraph().getName();
    }

    public List<String> inputNames() {
        return graph().getInputList().stream().map(ValueInfoProto::getName).toList();
    }

    public List<String> outputNames() {
        return graph().getOutputList().stream().map(ValueInfoProto::getName).toList();
    }

    /** Floating-point initializers by name (the model's parameters), in graph order. */
    public Map<String, TensorProto> parameters() {
        Map<String, TensorProto> out = new LinkedHashMap<>();
        for (TensorProto t : graph().getInitializerList()) {
            if (t.getDataType() == DataType.FLOAT_VALUE || t.getDataType() == DataType.DOUBLE_VALUE) {
                out.put(t.getName(), t);
            }
        }
        return out;
    }

    /** Total number of parameter elements. */
    public long parameterCount() {
        return parameters().values().stream().mapToLong(t -> Tensors.count(Tensors.dims(t))).sum();
    }

    public Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        proto.getMetadataPropsList().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** A copy with metadata entries added or replaced. */
    public OnnxModel withMetadata(Map<String, String> entries) {
        Map<String, String> all = metadata();
        all.putAll(entries);
        ModelProto.Builder b = proto.toBuilder().clearMetadataProps();
        all.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return new OnnxModel(b.build());
    }

    /** A copy in which the named initializers are graph inputs (trainable parameters) instead. */
    public OnnxModel withParametersAsInputs(Collection<String> names) {
        GraphBuilder g = GraphBuilder.edit(proto);
        names.forEach(g::promoteToInput);
        return new OnnxModel(g.build());
    }

    /** A copy with a new graph input of known rank (dims: Long or String as in {@link GraphBuilder#input}). */
    public OnnxModel withInput(String name, DataType type, Object... dims) {
        GraphBuilder g = GraphBuilder.edit(proto);
        g.input(name, type, dims);
        return new OnnxModel(g.build());
    }

    /** A copy whose named initializers hold new values (same dims; stored in each initializer's own type). */
    public OnnxModel withParameterValues(Map<String, float[]> values) {
        GraphProto.Builder graph = proto.getGraph().toBuilder();
        int replaced = 0;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            float[] v = values.get(t.getName());
            if (v == null) {
                continue;
            }
            long[] dims = Tensors.dims(t);
            if (Tensors.count(dims) != v.length) {
                throw new IllegalArgumentException("model '" + name() + "': parameter '" + t.getName() + "' has dims "
                        + Arrays.toString(dims) + " but " + v.length + " values were given");
            }
            double[] d = new double[v.length];
            for (int k = 0; k < v.length; k++) {
                d[k] = v[k];
            }
            graph.setInitializer(i, Tensors.ofType(DataType.forNumber(t.getDataType()), t.getName(), dims, d));
            replaced++;
        }
        if (replaced != values.size()) {
            List<String> missing = values.keySet().stream().filter(k -> !parameters().containsKey(k)).toList();
            throw new IllegalArgumentException("model '" + name() + "' has no parameters " + missing);
        }
        return new OnnxModel(proto.toBuilder().setGraph(graph).build());
    }
}
