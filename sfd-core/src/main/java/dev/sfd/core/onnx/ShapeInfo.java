package dev.sfd.core.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is known statically about a graph's values: ranks (propagated through common ops), full
 * shapes of initializers, constants and fixed-size inputs, and values of int64 constants (axes,
 * shapes). Gradient rules use it to avoid runtime shape arithmetic where it is not needed.
 */
public final class ShapeInfo {

    private static final Set<String> SAME_RANK = Set.of("Identity", "Neg", "Relu", "Sigmoid", "Tanh", "Exp", "Log",
            "Sin", "Cos", "Sqrt", "Abs", "Erf", "Softmax", "LogSoftmax", "LayerNormalization", "Cast", "CastLike",
            "Transpose", "Slice", "IsNaN", "IsInf", "Not", "Sign", "Reciprocal", "Floor", "Ceil", "Round", "Dropout",
            "Conv", "Concat", "Split", "Gelu", "Softplus", "LeakyRelu", "Elu", "Clip");
    private static final Set<String> BROADCASTING = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Equal", "Greater",
            "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Where", "Max", "Min", "Sum");

    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();
    private final Map<String, long[]> intConstants = new HashMap<>();
    private final ProbeShapes probes = new ProbeShapes(intConstants);

    private ShapeInfo() {
    }

    public static ShapeInfo of(GraphProto graph) {
        ShapeInfo info = new ShapeInfo();
        for (ValueInfoProto v : graph.getInputList()) {
            info.addValueInfo(v);
        }
        for (ValueInfoProto v : graph.getValueInfoList()) {
            info.addValueInfo(v);
        }
        for (TensorProto t : graph.getInitializerList()) {
            info.addTensor(t.getName(), t);
        }
        for (NodeProto node : graph.getNodeList()) {
            info.infer(node);
        }
        return info;
    }

    /** Rank of {@code value}, or null when unknown. */
    public Integer rank(String value) {
        return ranks.get(value);
    }

    /** Full static shape of {@code value}, or null when unknown or symbolic. */
    public long[] shape(String value) {
        return shapes.get(value);
    }

    /**
     * Shape of {@code value} with symbolic dims stood in for by distinct large primes (equal
     * symbols → equal numbers; 1 is a real 1), or null when it could not be derived. Good for
     * comparing dims, never for building tensors.
     */
    public long[] probeShape(String value) {
        return probes.get(value);
    }

    /** Values of an int64 constant or initializer, or null. */
    public long[] intConstant(String value) {
        return intConstants.get(value);
    }

    /** Records facts about a value created later (e.g. by a gradient rule). */
    public void setRank(String value, int rank) {
        ranks.put(value, rank);
    }

    private void addValueInfo(ValueInfoProto v) {
        probes.addValueInfo(v);
        if (!v.getType().getTensorType().hasShape()) {
            return;
        }
        List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        ranks.put(v.getName(), dims.size());
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!dims.get(i).hasDimValue()) {
                return;
            }
            shape[i] = dims.get(i).getDimValue();
        }
        shapes.put(v.getName(), shape);
    }

    private void addTensor(String name, TensorProto t) {
        probes.addTensor(name, t);
        long[] dims = Tensors.dims(t);
        ranks.put(name, dims.length);
        shapes.put(name, dims);
        if (t.getDataType() == TensorProto.DataType.INT64_VALUE) {
            intConstants.put(name, Tensors.toLongs(t));
        }
    }

    private void infer(NodeProto node) {
        if (!node.getOpType().equals("Constant")) {
            probes.infer(node);
        }
        String op = node.getOpType();
        List<String> in = node.getInputList();
        Integer r0 = in.isEmpty() ? null : ranks.get(in.get(0));
        Integer rank = null;
        if (op.equals("Constant")) {
            var value = Attrs.find(node, "value");
            if (value != null) {
                addTensor(node.getOutput(0), value.getT());
            }
            return;
        } else if (SAME_RANK.contains(op)) {
            rank = r0;
        } else if (BROADCASTING.contains(op)) {
            rank = maxRank(in);
        } else if (op.equals("MatMul")) {
            Integer ra = r0;
            Integer rb = ranks.get(in.get(1));
            if (ra != null && rb != null) {
                rank = ra == 1 ? rb - 1 : rb == 1 ? ra - 1 : Math.max(ra, rb);
            }
        } else if (op.equals("Gemm") || op.equals("NonZero")) {
            rank = 2;
        } else if (op.equals("Shape") || op.equals("Range")) {
            rank = 1;
        } else if (op.equals("Size")) {
            rank = 0;
        } else if (op.equals("Reshape") || op.equals("ConstantOfShape")) {
            long[] target = in.size() > 0 ? shapeInput(op.equals("Reshape") ? in.get(1) : in.get(0)) : null;
            rank = target == null ? null : (int) target[0];
        } else if (op.equals("Expand")) {
            long[] target = shapeInput(in.get(1));
            rank = target == null || r0 == null ? null : Math.max(r0, (int) target[0]);
        } else if (op.equals("Unsqueeze") || op.equals("Squeeze")) {
            long[] axes = in.size() > 1 ? intConstants.get(in.get(1)) : Attrs.getInts(node, "axes");
            if (r0 != null && axes != null) {
                rank = op.equals("Unsqueeze") ? r0 + axes.length : r0 - axes.length;
            }
        } else if (op.startsWith("Reduce")) {
            boolean keep = Attrs.getInt(node, "keepdims", 1) == 1;
            long[] axes = in.size() > 1 ? intConstants.get(in.get(1)) : Attrs.getInts(node, "axes");
            if (keep) {
                rank = r0;
            } else if (r0 != null && axes != null) {
                rank = r0 - axes.length;
            } else if (in.size() == 1 && Attrs.getInts(node, "axes") == null) {
                rank = 0;
            }
        } else if (op.equals("Gather")) {
            Integer ri = ranks.get(in.get(1));
            rank = r0 == null || ri == null ? null : r0 - 1 + ri;
        }
        if (rank != null) {
            for (String out : node.getOutputList()) {
                ranks.put(out, rank);
            }
        }
    }

    /** Length of a 1-D shape-like input when known: [length] or null. */
    private long[] shapeInput(String value) {
        long[] constant = intConstants.get(value);
        if (constant != null) {
            return new long[] {constant.length};
        }
        long[] s = shapes.get(value);
        return s != null && s.length == 1 ? new long[] {s[0]} : null;
    }

    private Integer maxRank(List<String> in) {
        int max = 0;
        for (String v : in) {
            Integer r = ranks.get(v);
            if (r == null) {
                return null;
            }
            max = Math.max(max, r);
        }
        return max;
    }
}
