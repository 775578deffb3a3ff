package dev.sfd.core.autodiff;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which ops of a model stand between its trainable weights and its outputs without a usable
 * gradient rule: every one at once (not the first the differentiation would trip on), each op type
 * with the names of its nodes and why. Besides op types with no rule at all, it reports nodes a rule
 * refuses from their attributes alone (an Einsum equation with an ellipsis, say). Checks that need
 * value shapes are left to {@link ReverseMode#differentiate}.
 */
public final class GradientCoverage {

    /** One missing piece: an op type (domain-qualified when not the default), its nodes on the path, and why. */
    public record Gap(String opType, List<String> nodes, String reason) {
        @Override
        public String toString() {
            return opType + " " + nodes + ": " + reason;
        }
    }

    private static final Set<Integer> FLOAT_TYPES = Set.of(DataType.FLOAT_VALUE, DataType.DOUBLE_VALUE,
            DataType.FLOAT16_VALUE, DataType.BFLOAT16_VALUE);

    private GradientCoverage() {
    }

    /** Gaps between every floating-point initializer (the trainable weights) and every graph output; empty = covered. */
    public static List<Gap> gaps(ModelProto model) {
        List<String> weights = model.getGraph().getInitializerList().stream()
                .filter(t -> FLOAT_TYPES.contains(t.getDataType())).map(TensorProto::getName).toList();
        List<String> outputs = model.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
        return gaps(model, outputs, weights);
    }

    /** Gaps between {@code weights} and {@code outputs}, grouped by op type and reason, in graph order. */
    public static List<Gap> gaps(ModelProto model, List<String> outputs, List<String> weights) {
        Map<String, Gap> byKey = new LinkedHashMap<>();
        for (NodeProto node : ReverseMode.pathNodes(model, outputs, weights)) {
            String reason = reason(node);
            if (reason == null) {
                continue;
            }
            String op = node.getDomain().isEmpty() ? node.getOpType() : node.getDomain() + "." + node.getOpType();
            String name = node.getName().isEmpty() ? "(unnamed, output '" + node.getOutput(0) + "')" : node.getName();
            byKey.computeIfAbsent(op + "\n" + reason, k -> new Gap(op, new ArrayList<>(), reason)).nodes().add(name);
        }
        return List.copyOf(byKey.values());
    }

    /** Null when the node can be differentiated as far as its op type and attributes tell, else why not. */
    private static String reason(NodeProto node) {
        if (!node.getDomain().isEmpty()) {
            return "no gradient rule for ops of domain '" + node.getDomain() + "'";
        }
        if (GradientRules.rule(node.getOpType()) == null) {
            return "no gradient rule";
        }
        try {
            GradientRules.precheck(node);
            return null;
        } catch (UnsupportedOpException e) {
            return e.getMessage();
        }
    }
}
