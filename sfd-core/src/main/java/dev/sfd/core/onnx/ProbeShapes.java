package dev.sfd.core.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shape inference with symbolic dims: every symbolic dim (e.g. "batch") is stood in for by a
 * distinct large prime, then shapes are propagated numerically through common ops. Two dims are
 * then equal exactly when they are the same size or the same symbol, and a dim of 1 is a real 1,
 * which is what a gradient needs to know to sum a broadcast back. Values whose shape cannot be
 * derived are absent; callers fall back to runtime shape arithmetic.
 */
final class ProbeShapes {

    private static final Set<String> SAME_SHAPE = Set.of("Identity", "Neg", "Relu", "Sigmoid", "Tanh", "Exp", "Log",
            "Sin", "Cos", "Sqrt", "Abs", "Erf", "Softmax", "LogSoftmax", "LayerNormalization", "Cast", "CastLike",
            "IsNaN", "IsInf", "Not", "Sign", "Reciprocal", "Floor", "Ceil", "Round", "Dropout", "Gelu", "Softplus",
            "LeakyRelu", "Elu", "Clip");
    private static final Set<String> BROADCASTING = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Equal", "Greater",
            "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Where", "Max", "Min", "Sum");

    private final Map<String, long[]> dims = new HashMap<>();
    private final Map<String, Long> symbols = new HashMap<>();
    private final Map<String, long[]> intConstants;
    private BigInteger nextProbe = BigInteger.valueOf(1_000_000);

    ProbeShapes(Map<String, long[]> intConstants) {
        this.intConstants = intConstants;
    }

    long[] get(String value) {
        return dims.get(value);
    }

    void addValueInfo(ValueInfoProto v) {
        if (!v.getType().getTensorType().hasShape()) {
            return;
        }
        List<TensorShapeProto.Dimension> ds = v.getType().getTensorType().getShape().getDimList();
        long[] d = new long[ds.size()];
        for (int i = 0; i < d.length; i++) {
            TensorShapeProto.Dimension dim = ds.get(i);
            d[i] = dim.hasDimValue() ? dim.getDimValue()
                    : dim.hasDimParam() ? symbols.computeIfAbsent(dim.getDimParam(), k -> probe()) : probe();
        }
        dims.put(v.getName(), d);
    }

    void addTensor(String name, TensorProto t) {
        dims.put(name, Tensors.dims(t));
    }

    void infer(NodeProto node) {
        try {
            if (node.getOpType().equals("Split")) {
                inferSplit(node);
                return;
            }
            long[] out = inferOrNull(node);
            if (out != null) {
                dims.put(node.getOutput(0), out);
            }
        } catch (RuntimeException e) {
            // inconsistent or unsupported: leave unknown
        }
    }

    /** Split along {@code axis} into the sizes of its second input, or equal parts when it has none. */
    private void inferSplit(NodeProto node) {
        long[] x = dims.get(node.getInput(0));
        if (x == null) {
            return;
        }
        int axis = axis(Attrs.getInt(node, "axis", 0), x.length);
        int parts = node.getOutputCount();
        long[] sizes = node.getInputCount() > 1 && !node.getInput(1).isEmpty() ? intConstants.get(node.getInput(1))
                : null;
        if (sizes == null) {
            if (node.getInputCount() > 1 && !node.getInput(1).isEmpty() || x[axis] % parts != 0) {
                return;
            }
            sizes = new long[parts];
            Arrays.fill(sizes, x[axis] / parts);
        }
        for (int i = 0; i < parts && i < sizes.length; i++) {
            long[] out = x.clone();
            out[axis] = sizes[i];
            dims.put(node.getOutput(i), out);
        }
    }

    private long[] inferOrNull(NodeProto node) {
        String op = node.getOpType();
        List<String> in = node.getInputList();
        long[] x = in.isEmpty() ? null : dims.get(in.get(0));
        if (SAME_SHAPE.contains(op)) {
            return x;
        }
        if (BROADCASTING.contains(op)) {
            long[] r = new long[0];
            for (String v : in) {
                long[] d = dims.get(v);
                if (d == null) {
                    return null;
                }
                r = broadcast(r, d);
            }
            return r;
        }
        switch (op) {
            case "MatMul": {
                long[] b = dims.get(in.get(1));
                if (x == null || b == null || x.length < 2 || b.length < 2 || x[x.length - 1] != b[b.length - 2]) {
                    return null;
                }
                long[] batch = broadcast(Arrays.copyOf(x, x.length - 2), Arrays.copyOf(b, b.length - 2));
                long[] r = Arrays.copyOf(batch, batch.length + 2);
                r[batch.length] = x[x.length - 2];
                r[batch.length + 1] = b[b.length - 1];
                return r;
            }
            case "Gemm": {
                long[] b = dims.get(in.get(1));
                if (x == null || b == null) {
                    return null;
                }
                long m = Attrs.getInt(node, "transA", 0) == 1 ? x[1] : x[0];
                long n = Attrs.getInt(node, "transB", 0) == 1 ? b[0] : b[1];
                return new long[] {m, n};
            }
            case "Transpose": {
                if (x == null) {
                    return null;
                }
                long[] perm = Attrs.getInts(node, "perm");
                long[] r = new long[x.length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = perm == null ? x[x.length - 1 - i] : x[(int) perm[i]];
                }
                return r;
            }
            case "Reshape":
                return reshape(x, intConstants.get(in.get(1)));
            case "Unsqueeze":
            case "Squeeze":
                return squeezeOrUnsqueeze(op, x, in.size() > 1 ? intConstants.get(in.get(1)) : Attrs.getInts(node, "axes"));
            case "Expand": {
                long[] target = intConstants.get(in.get(1));
                return x == null || target == null ? null : broadcast(x, target);
            }
            case "Gather": {
                long[] idx = dims.get(in.get(1));
                if (x == null || idx == null || Attrs.getInt(node, "axis", 0) != 0) {
                    return null;
                }
                long[] r = Arrays.copyOf(idx, idx.length + x.length - 1);
                System.arraycopy(x, 1, r, idx.length, x.length - 1);
                return r;
            }
            case "Concat": {
                if (x == null) {
                    return null;
                }
                int axis = axis(Attrs.getInt(node, "axis", 0), x.length);
                long[] r = x.clone();
                r[axis] = 0;
                for (String v : in) {
                    long[] d = dims.get(v);
                    if (d == null) {
                        return null;
                    }
                    r[axis] += d[axis];
                }
                return r;
            }
            case "Shape":
                return x == null ? null : new long[] {x.length};
            default:
                if (op.startsWith("Reduce")) {
                    return reduce(node, x);
                }
                return null;
        }
    }

    private long[] reduce(NodeProto node, long[] x) {
        if (x == null) {
            return null;
        }
        boolean keep = Attrs.getInt(node, "keepdims", 1) == 1;
        long[] axes = node.getInputCount() > 1 ? intConstants.get(node.getInput(1)) : Attrs.getInts(node, "axes");
        if (axes == null && node.getInputCount() > 1) {
            return null;
        }
        boolean[] reduced = new boolean[x.length];
        if (axes == null || axes.length == 0) {
            if (Attrs.getInt(node, "noop_with_empty_axes", 0) == 1) {
                return x;
            }
            Arrays.fill(reduced, true);
        } else {
            for (long a : axes) {
                reduced[axis(a, x.length)] = true;
            }
        }
        long[] r = new long[x.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!reduced[i]) {
                r[n++] = x[i];
            } else if (keep) {
                r[n++] = 1;
            }
        }
        return Arrays.copyOf(r, n);
    }

    private static long[] reshape(long[] x, long[] target) {
        if (x == null || target == null) {
            return null;
        }
        long[] r = target.clone();
        long known = 1;
        int free = -1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == 0) {
                r[i] = x[i];
            }
            if (r[i] == -1) {
                free = i;
            } else {
                known *= r[i];
            }
        }
        if (free >= 0) {
            long total = 1;
            for (long d : x) {
                total *= d;
            }
            if (known == 0 || total % known != 0) {
                return null;
            }
            r[free] = total / known;
        }
        return r;
    }

    private static long[] squeezeOrUnsqueeze(String op, long[] x, long[] axes) {
        if (x == null || axes == null) {
            return null;
        }
        if (op.equals("Unsqueeze")) {
            int rank = x.length + axes.length;
            boolean[] isNew = new boolean[rank];
            for (long a : axes) {
                isNew[axis(a, rank)] = true;
            }
            long[] r = new long[rank];
            for (int i = 0, j = 0; i < rank; i++) {
                r[i] = isNew[i] ? 1 : x[j++];
            }
            return r;
        }
        boolean[] drop = new boolean[x.length];
        for (long a : axes) {
            drop[axis(a, x.length)] = true;
        }
        long[] r = new long[x.length - axes.length];
        for (int i = 0, j = 0; i < x.length; i++) {
            if (!drop[i]) {
                r[j++] = x[i];
            }
        }
        return r;
    }

    /** Numpy broadcasting of two shapes; throws when incompatible. */
    private static long[] broadcast(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            long da = i < n - a.length ? 1 : a[i - (n - a.length)];
            long db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("incompatible dims " + da + " and " + db);
            }
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    private static int axis(long a, int rank) {
        return (int) (a < 0 ? a + rank : a);
    }

    private long probe() {
        nextProbe = nextProbe.nextProbablePrime();
        return nextProbe.longValueExact();
    }
}
