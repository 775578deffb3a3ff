package dev.sfd.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, mutable builder of ONNX graphs. Values are named by strings; every op helper appends a
 * node and returns the name of its (fresh) output, so model code reads like the math:
 * {@code g.add(g.matMul(x, w), b)}. Parameters are initializers of the builder's float type
 * (FLOAT or DOUBLE); constants are {@code Constant} nodes, so "the parameters of a model" are
 * exactly its floating-point initializers.
 */
public final class GraphBuilder {

    /** Default opset: ReduceMean/ReduceSum take axes as an input; LayerNormalization and Gelu exist. */
    public static final int OPSET = 20;
    public static final long IR_VERSION = 9;

    private final String graphName;
    private final DataType floatType;
    private final int opset;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final LinkedHashMap<String, TensorProto> initializers = new LinkedHashMap<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<ValueInfoProto> valueInfos = new ArrayList<>();
    private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> constantCache = new HashMap<>();
    private int counter;

    private GraphBuilder(String graphName, DataType floatType, int opset) {
        if (floatType != DataType.FLOAT && floatType != DataType.DOUBLE) {
            throw new IllegalArgumentException("graph '" + graphName + "': float type must be FLOAT or DOUBLE");
        }
        this.graphName = graphName;
        this.floatType = floatType;
        this.opset = opset;
    }

    /** A new, empty float32 graph. */
    public static GraphBuilder create(String graphName) {
        return new GraphBuilder(graphName, DataType.FLOAT, OPSET);
    }

    /** A new, empty graph whose parameters and constants have type {@code floatType}. */
    public static GraphBuilder create(String graphName, DataType floatType) {
        return new GraphBuilder(graphName, floatType, OPSET);
    }

    /** As {@link #create(String, DataType)} importing {@code opset} (ops whose meaning changed with the opset). */
    public static GraphBuilder create(String graphName, DataType floatType, int opset) {
        return new GraphBuilder(graphName, floatType, opset);
    }

    /** Continues editing an existing model (its nodes, initializers, inputs, outputs and metadata). */
    public static GraphBuilder edit(ModelProto model) {
        GraphProto graph = model.getGraph();
        DataType type = floatTypeOf(graph);
        int opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty())
                .mapToInt(o -> (int) o.getVersion()).findFirst().orElse(OPSET);
        GraphBuilder g = new GraphBuilder(graph.getName(), type, opset);
        graph.getInputList().forEach(v -> { g.inputs.add(v); g.names.add(v.getName()); });
        graph.getInitializerList().forEach(t -> { g.initializers.put(t.getName(), t); g.names.add(t.getName()); });
        graph.getNodeList().forEach(g::addNode);
        g.outputs.addAll(graph.getOutputList());
        g.valueInfos.addAll(graph.getValueInfoList());
        model.getMetadataPropsList().forEach(e -> g.metadata.put(e.getKey(), e.getValue()));
        return g;
    }

    /** DOUBLE if the graph's first floating-point initializer (or else input) is double, FLOAT otherwise. */
    private static DataType floatTypeOf(GraphProto graph) {
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getDataType() == DataType.DOUBLE_VALUE || t.getDataType() == DataType.FLOAT_VALUE) {
                return DataType.forNumber(t.getDataType());
            }
        }
        for (ValueInfoProto v : graph.getInputList()) {
            int t = v.getType().getTensorType().getElemType();
            if (t == DataType.DOUBLE_VALUE || t == DataType.FLOAT_VALUE) {
                return DataType.forNumber(t);
            }
        }
        return DataType.FLOAT;
    }

    // ---------------------------------------------------------------- graph structure

    public DataType floatType() {
        return floatType;
    }

    public int opset() {
        return opset;
    }

    public List<NodeProto> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public Map<String, TensorProto> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    public List<ValueInfoProto> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<ValueInfoProto> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public boolean hasValue(String name) {
        return names.contains(name);
    }

    /** A name not yet used in this graph, starting with {@code prefix}. */
    public String fresh(String prefix) {
        String name;
        do {
            name = prefix + "_" + counter++;
        } while (names.contains(name));
        names.add(name);
        return name;
    }

    /**
     * Declares a graph input of type {@code type}. Each dim is a Long/Integer (fixed size, -1 for
     * a symbolic size) or a String (a named symbolic size, e.g. "batch").
     */
    public String input(String name, DataType type, Object... dims) {
        claim(name);
        inputs.add(valueInfo(name, type, dims));
        return name;
    }

    /** A float-type input; -1 at axis 0 is the symbolic "batch", elsewhere a per-input symbol. */
    public String input(String name, long... dims) {
        Object[] d = new Object[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = dims[i] >= 0 ? (Object) dims[i] : (i == 0 ? "batch" : name + "_d" + i);
        }
        return input(name, floatType, d);
    }

    /** Adds a trainable parameter (an initializer of the graph's float type). */
    public String parameter(String name, long[] dims, double[] values) {
        claim(name);
        initializers.put(name, Tensors.ofType(floatType, name, dims, values));
        return name;
    }

    /** Adds any initializer as it is. */
    public String initializer(TensorProto tensor) {
        claim(tensor.getName());
        initializers.put(tensor.getName(), tensor);
        return tensor.getName();
    }

    /** Removes an initializer and declares it as a graph input of the same type and shape instead. */
    public void promoteToInput(String initializerName) {
        TensorProto t = initializers.remove(initializerName);
        if (t == null) {
            throw new IllegalArgumentException("graph '" + graphName + "' has no initializer '" + initializerName + "'");
        }
        Object[] dims = t.getDimsList().toArray();
        inputs.add(valueInfo(initializerName, DataType.forNumber(t.getDataType()), dims));
    }

    /** Declares {@code value} a graph output of the graph's float type. */
    public String output(String value) {
        return output(value, floatType);
    }

    public String output(String value, DataType type) {
        outputs.add(valueInfo(value, type));
        return value;
    }

    /**
     * Declares an output with known rank: dims as in {@link #input(String, DataType, Object...)},
     * null entries meaning unknown sizes; a null array means unknown rank.
     */
    public String output(String value, DataType type, Object[] dims) {
        if (dims == null) {
            return output(value, type);
        }
        Object[] d = new Object[dims.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims[i] == null ? -1L : dims[i];
        }
        outputs.add(valueInfo(value, type, d));
        return value;
    }

    /** Declares {@code value} a graph output named {@code name} (via Identity when names differ). */
    public String outputAs(String value, String name) {
        String v = value.equals(name) ? value : op("Identity", List.of(value), name);
        return output(v);
    }

    public void clearOutputs() {
        outputs.clear();
    }

    public void metadata(String key, String value) {
        metadata.put(key, value);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** Appends a node as it is (its outputs must not exist yet). */
    public void addNode(NodeProto node) {
        for (String out : node.getOutputList()) {
            if (!out.isEmpty()) {
                claim(out);
            }
        }
        nodes.add(node);
    }

    /**
     * Replaces {@code old} (a node of this graph, compared by identity or equality) in place by
     * {@code replacement}, which must keep old's outputs and may add new ones (e.g. a forward
     * node's optional outputs that a gradient rule wants to reuse), named by {@link #fresh} or
     * not used yet.
     */
    public void replaceNode(NodeProto old, NodeProto replacement) {
        int at = nodes.indexOf(old);
        if (at < 0) {
            throw new IllegalArgumentException("graph '" + graphName + "' has no node " + old.getName() + " ("
                    + old.getOpType() + ")");
        }
        for (int i = 0; i < replacement.getOutputCount(); i++) {
            String out = replacement.getOutput(i);
            boolean kept = i < old.getOutputCount() && old.getOutput(i).equals(out);
            if (!kept && !out.isEmpty()) {
                for (NodeProto n : nodes) {
                    if (n.getOutputList().contains(out)) {
                        throw new IllegalArgumentException("graph '" + graphName + "': value '" + out
                                + "' is already produced by node " + n.getName());
                    }
                }
                names.add(out);
            }
        }
        nodes.set(at, replacement);
    }

    /** Appends {@code opType} with fresh outputs and returns their names. */
    public String[] ops(String opType, int outputCount, List<String> in, AttributeProto... attrs) {
        String[] out = new String[outputCount];
        for (int i = 0; i < outputCount; i++) {
            out[i] = fresh(opType.toLowerCase());
        }
        nodes.add(node(opType, in, Arrays.asList(out), attrs));
        return out;
    }

    /** Appends {@code opType} with one fresh output. */
    public String op(String opType, List<String> in, AttributeProto... attrs) {
        return ops(opType, 1, in, attrs)[0];
    }

    /** Appends {@code opType} with one output of the given name. */
    public String op(String opType, List<String> in, String outputName, AttributeProto... attrs) {
        claim(outputName);
        nodes.add(node(opType, in, List.of(outputName), attrs));
        return outputName;
    }

    /**
     * The model. Outputs declared without a shape get one of their inferred rank (unknown dims),
     * as ONNX's checker requires a shape on top-level graph outputs.
     */
    public ModelProto build() {
        GraphProto.Builder graph = GraphProto.newBuilder().setName(graphName).addAllNode(nodes)
                .addAllInitializer(initializers.values()).addAllInput(inputs).addAllValueInfo(valueInfos);
        ShapeInfo shapes = ShapeInfo.of(graph.build());
        for (ValueInfoProto out : outputs) {
            Integer rank = shapes.rank(out.getName());
            if (!out.getType().getTensorType().hasShape() && rank != null) {
                Object[] dims = new Object[rank];
                Arrays.fill(dims, -1L);
                out = valueInfo(out.getName(), DataType.forNumber(out.getType().getTensorType().getElemType()), dims);
            }
            graph.addOutput(out);
        }
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("sfd")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph);
        metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    // ---------------------------------------------------------------- constants

    /** A scalar constant of the graph's float type. */
    public String scalar(double value) {
        return constantCache.computeIfAbsent(floatType + ":" + value, k ->
                constant(Tensors.ofType(floatType, "", new long[0], new double[] {value})));
    }

    /** A 1-D int64 constant (axes, shapes, perms). */
    public String ints(long... values) {
        return constantCache.computeIfAbsent("i64:" + Arrays.toString(values), k ->
                constant(Tensors.longs("", new long[] {values.length}, values)));
    }

    /** A scalar int64 constant. */
    public String int64(long value) {
        return constantCache.computeIfAbsent("i64s:" + value, k ->
                constant(Tensors.longs("", new long[0], new long[] {value})));
    }

    /** A tensor of {@code shape} (an int64 value) filled with {@code value} of the graph's float type. */
    public String filled(String shape, double value) {
        return op("ConstantOfShape", List.of(shape),
                Attrs.tensor("value", Tensors.ofType(floatType, "", new long[] {1}, new double[] {value})));
    }

    /** Zeros of the graph's float type shaped like {@code like}. */
    public String zerosLike(String like) {
        return filled(shape(like), 0);
    }

    /** A Constant node holding {@code value}. */
    public String constant(TensorProto value) {
        return op("Constant", List.of(), Attrs.tensor("value", value.toBuilder().setName("").build()));
    }

    /** The value of {@code name} if it is a one-element float constant (Constant node or initializer), else null. */
    public Double scalarConstant(String name) {
        TensorProto t = initializers.get(name);
        if (t == null) {
            for (NodeProto n : nodes) {
                if (n.getOpType().equals("Constant") && n.getOutput(0).equals(name) && Attrs.find(n, "value") != null) {
                    t = Attrs.find(n, "value").getT();
                    break;
                }
            }
        }
        if (t == null || Tensors.count(Tensors.dims(t)) != 1
                || (t.getDataType() != DataType.FLOAT_VALUE && t.getDataType() != DataType.DOUBLE_VALUE)) {
            return null;
        }
        return Tensors.toDoubles(t)[0];
    }

    /** A float constant with the given dims and values. */
    public String constant(long[] dims, double[] values) {
        return constant(Tensors.ofType(floatType, "", dims, values));
    }

    // ---------------------------------------------------------------- arithmetic

    public String add(String a, String b) { return op("Add", List.of(a, b)); }
    public String sub(String a, String b) { return op("Sub", List.of(a, b)); }
    public String mul(String a, String b) { return op("Mul", List.of(a, b)); }
    public String div(String a, String b) { return op("Div", List.of(a, b)); }
    public String neg(String x) { return op("Neg", List.of(x)); }
    public String abs(String x) { return op("Abs", List.of(x)); }
    public String exp(String x) { return op("Exp", List.of(x)); }
    public String log(String x) { return op("Log", List.of(x)); }
    public String sin(String x) { return op("Sin", List.of(x)); }
    public String cos(String x) { return op("Cos", List.of(x)); }
    public String sqrt(String x) { return op("Sqrt", List.of(x)); }
    public String erf(String x) { return op("Erf", List.of(x)); }
    public String identity(String x) { return op("Identity", List.of(x)); }

    /** x^p for a constant exponent p. */
    public String pow(String x, double p) { return op("Pow", List.of(x, scalar(p))); }

    public String scale(String x, double s) { return mul(x, scalar(s)); }

    // ---------------------------------------------------------------- activations

    public String relu(String x) { return op("Relu", List.of(x)); }
    public String sigmoid(String x) { return op("Sigmoid", List.of(x)); }
    public String tanh(String x) { return op("Tanh", List.of(x)); }

    /** SiLU(x) = x·σ(x). */
    public String silu(String x) { return mul(x, sigmoid(x)); }

    /**
     * GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))); the Gelu op (opset 20) or,
     * in older graphs, its composite.
     */
    public String gelu(String x) {
        if (opset >= 20) {
            return op("Gelu", List.of(x), Attrs.s("approximate", "tanh"));
        }
        String inner = scale(add(x, scale(pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
        return mul(scale(x, 0.5), add(scalar(1), tanh(inner)));
    }

    /** GELU, erf form: 0.5·x·(1 + erf(x/√2)); the Gelu op (opset 20) or its composite. */
    public String geluErf(String x) {
        if (opset >= 20) {
            return op("Gelu", List.of(x));
        }
        return mul(scale(x, 0.5), add(scalar(1), erf(scale(x, 1 / Math.sqrt(2)))));
    }

    public String softmax(String x, long axis) { return op("Softmax", List.of(x), Attrs.i("axis", axis)); }

    // ---------------------------------------------------------------- linear algebra

    public String matMul(String a, String b) { return op("MatMul", List.of(a, b)); }

    /** Y = alpha·op(A)·op(B) + beta·C (C may be null). */
    public String gemm(String a, String b, String c, boolean transA, boolean transB) {
        List<String> in = c == null ? List.of(a, b) : List.of(a, b, c);
        return op("Gemm", in, Attrs.i("transA", transA ? 1 : 0), Attrs.i("transB", transB ? 1 : 0));
    }

    /** 2-D convolution of x [N, C, H, W] with w [O, C, k, k] (+ bias [O], may be null), square stride and pads. */
    public String conv(String x, String w, String bias, long stride, long pad) {
        List<String> in = bias == null ? List.of(x, w) : List.of(x, w, bias);
        return op("Conv", in, Attrs.ints("strides", stride, stride), Attrs.ints("pads", pad, pad, pad, pad));
    }

    // ---------------------------------------------------------------- reductions

    public String reduceSum(String x, boolean keepDims, long... axes) { return reduce("ReduceSum", x, keepDims, axes); }
    public String reduceMean(String x, boolean keepDims, long... axes) { return reduce("ReduceMean", x, keepDims, axes); }

    private String reduce(String op, String x, boolean keepDims, long... axes) {
        AttributeProto keep = Attrs.i("keepdims", keepDims ? 1 : 0);
        boolean axesAsInput = op.equals("ReduceSum") ? opset >= 13 : opset >= 18;
        if (axes.length == 0) {
            return op(op, List.of(x), keep);
        }
        return axesAsInput ? op(op, List.of(x, ints(axes)), keep) : op(op, List.of(x), keep, Attrs.ints("axes", axes));
    }

    // ---------------------------------------------------------------- shapes

    public String shape(String x) { return op("Shape", List.of(x)); }
    public String reshape(String x, long... shape) { return op("Reshape", List.of(x, ints(shape))); }
    public String reshapeLike(String x, String shape) { return op("Reshape", List.of(x, shape)); }
    public String transpose(String x, long... perm) { return op("Transpose", List.of(x), Attrs.ints("perm", perm)); }
    public String unsqueeze(String x, long... axes) { return op("Unsqueeze", List.of(x, ints(axes))); }
    public String squeeze(String x, long... axes) { return op("Squeeze", List.of(x, ints(axes))); }
    public String expand(String x, String shape) { return op("Expand", List.of(x, shape)); }
    public String gather(String data, String indices) { return op("Gather", List.of(data, indices), Attrs.i("axis", 0)); }
    public String cast(String x, DataType to) { return op("Cast", List.of(x), Attrs.i("to", to.getNumber())); }
    public String castLike(String x, String like) { return op("CastLike", List.of(x, like)); }
    public String where(String cond, String a, String b) { return op("Where", List.of(cond, a, b)); }

    public String concat(long axis, String... xs) { return op("Concat", List.of(xs), Attrs.i("axis", axis)); }

    public String slice(String x, long[] starts, long[] ends, long[] axes) {
        return op("Slice", List.of(x, ints(starts), ints(ends), ints(axes)));
    }

    public String[] split(String x, long axis, long... sizes) {
        return ops("Split", sizes.length, List.of(x, ints(sizes)), Attrs.i("axis", axis));
    }

    // ---------------------------------------------------------------- normalisation

    /** LayerNormalization over the last axis: (x − mean)/√(var + eps)·scale + bias. */
    public String layerNorm(String x, String scale, String bias, double eps) {
        return op("LayerNormalization", List.of(x, scale, bias), Attrs.i("axis", -1), Attrs.f("epsilon", eps));
    }

    /**
     * Group normalisation of x [N, C, ...] with {@code groups} groups, written as primitive ops
     * (reshape to [N, G, -1], normalise, reshape back, per-channel scale [C] and bias [C]).
     * {@code channelShape} is the shape scale/bias broadcast to, e.g. [C, 1, 1] for images.
     */
    public String groupNorm(String x, String scale, String bias, long groups, double eps, long... channelShape) {
        String grouped = reshape(x, 0, groups, -1);
        String centred = sub(grouped, reduceMean(grouped, true, 2));
        String var = reduceMean(mul(centred, centred), true, 2);
        String normed = div(centred, sqrt(add(var, scalar(eps))));
        String back = reshapeLike(normed, shape(x));
        return add(mul(back, reshape(scale, channelShape)), reshape(bias, channelShape));
    }

    // ---------------------------------------------------------------- helpers

    private void claim(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("graph '" + graphName + "': empty value name");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("graph '" + graphName + "' already has a value named '" + name + "'");
        }
    }

    private NodeProto node(String opType, List<String> in, List<String> out, AttributeProto... attrs) {
        return NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + nodes.size() + "_" + out.get(0))
                .addAllInput(in).addAllOutput(out).addAllAttribute(Arrays.asList(attrs)).build();
    }

    /** A ValueInfo of a tensor of known rank (no dims = scalar); dims as Long/Integer (negative = unnamed symbolic) or String. */
    public static ValueInfoProto valueInfo(String name, DataType type, Object... dims) {
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else if (((Number) d).longValue() >= 0) {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        tensor.setShape(shape);
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /** A ValueInfo of a tensor of unknown shape. */
    public static ValueInfoProto valueInfo(String name, DataType type) {
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }
}
