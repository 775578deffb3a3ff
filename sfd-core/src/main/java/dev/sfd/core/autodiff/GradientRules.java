package dev.sfd.core.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.onnx.Attrs;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The table of gradient rules by op type, and the ops through which no gradient flows. */
public final class GradientRules {

    /** Ops whose outputs are integers, booleans or piecewise constant: they stop gradients. */
    private static final Set<String> NON_DIFFERENTIABLE = Set.of("Shape", "Size", "Equal", "Greater",
            "GreaterOrEqual", "Less", "LessOrEqual", "Not", "And", "Or", "Xor", "NonZero", "ArgMax", "ArgMin",
            "Floor", "Ceil", "Round", "Sign", "IsNaN", "IsInf", "ConstantOfShape", "Constant", "Range",
            "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike", "EyeLike", "OneHot");

    private static final Map<String, GradientRule> RULES;

    static {
        Map<String, GradientRule> rules = new HashMap<>();
        ElementwiseGradients.register(rules);
        MatMulGradients.register(rules);
        ShapeGradients.register(rules);
        ReductionGradients.register(rules);
        NormalizationGradients.register(rules);
        ConvGradients.register(rules);
        ImageGradients.register(rules);
        EinsumGradients.register(rules);
        RULES = Collections.unmodifiableMap(rules);
    }

    private GradientRules() {
    }

    /** The rule for {@code opType}, or null. */
    public static GradientRule rule(String opType) {
        return RULES.get(opType);
    }

    /** Op types with a gradient rule, sorted. */
    public static Set<String> supportedOps() {
        return new TreeSet<>(RULES.keySet());
    }

    /**
     * Throws what a rule would refuse about {@code node} from its attributes alone (no shapes):
     * Einsum equations the Einsum rule cannot do. Used to report every gap at once.
     */
    static void precheck(NodeProto node) {
        if (node.getOpType().equals("Einsum")) {
            EinsumGradients.parse(Attrs.getString(node, "equation", ""), node.getInputCount(),
                    detail -> new UnsupportedOpException(node.getOpType(), node.getName(), detail));
        }
    }

    /** True if no gradient flows through {@code node} (including casts to non-float types). */
    public static boolean stopsGradient(NodeProto node) {
        if (!node.getDomain().isEmpty()) {
            return false;
        }
        if (node.getOpType().equals("Cast")) {
            long to = Attrs.getInt(node, "to", 0);
            return to != DataType.FLOAT_VALUE && to != DataType.DOUBLE_VALUE && to != DataType.FLOAT16_VALUE
                    && to != DataType.BFLOAT16_VALUE;
        }
        return NON_DIFFERENTIABLE.contains(node.getOpType());
    }
}
