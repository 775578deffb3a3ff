package dev.sfd.core.autodiff;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.ShapeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation of an ONNX graph. Walks the nodes between the parameters and a
 * loss output backwards and appends, for each, the ordinary ONNX ops of its {@link GradientRule};
 * gradients reaching a value from several consumers are added up. Nodes not between the
 * parameters and the loss are left alone, so integer and shape paths need no rules.
 */
public final class ReverseMode {

    private ReverseMode() {
    }

    /**
     * Returns {@code model} extended with gradient outputs {@code "grad." + p} of the scalar
     * {@code loss} for each parameter {@code p} (a graph input or initializer). The model's other
     * outputs are replaced by the loss and the gradients.
     *
     * @throws UnsupportedOpException when a node on the path has no rule (naming op and node)
     */
    public static GradientGraph differentiate(ModelProto model, String loss, List<String> parameters) {
        GraphBuilder g = GraphBuilder.edit(model);
        List<NodeProto> forward = new ArrayList<>(g.nodes());
        checkNames(model, loss, parameters);
        Set<String> requiresGrad = forwardReach(forward, parameters);
        ShapeInfo shapes = ShapeInfo.of(model.getGraph());
        RowSums rowSums = new RowSums(g);

        Map<String, List<String>> contributions = new HashMap<>();
        if (requiresGrad.contains(loss)) {
            contributions.computeIfAbsent(loss, k -> new ArrayList<>()).add(ones(g, shapes, loss));
        }
        for (int n = forward.size() - 1; n >= 0; n--) {
            NodeProto node = forward.get(n);
            List<String> outputGrads = new ArrayList<>();
            boolean any = false;
            for (String out : node.getOutputList()) {
                String grad = total(g, contributions, out);
                outputGrads.add(grad);
                any |= grad != null;
            }
            if (!any || GradientRules.stopsGradient(node)) {
                continue;
            }
            GradientRule rule = GradientRules.rule(node.getOpType());
            if (rule == null || !node.getDomain().isEmpty()) {
                throw new UnsupportedOpException(node.getOpType(), node.getName(),
                        "no gradient rule (supported: " + GradientRules.supportedOps() + ")");
            }
            boolean[] needs = new boolean[node.getInputCount()];
            for (int i = 0; i < needs.length; i++) {
                needs[i] = requiresGrad.contains(node.getInput(i));
            }
            GradContext ctx = new GradContext(g, shapes, node, outputGrads, needs, rowSums);
            rule.backward(ctx);
            String[] inputGrads = ctx.inputGrads();
            for (int i = 0; i < inputGrads.length; i++) {
                if (inputGrads[i] != null) {
                    contributions.computeIfAbsent(node.getInput(i), k -> new ArrayList<>()).add(inputGrads[i]);
                }
            }
        }

        g.clearOutputs();
        g.output(loss);
        Map<String, String> gradients = new LinkedHashMap<>();
        for (String p : parameters) {
            String grad = total(g, contributions, p);
            if (grad == null) {
                grad = g.zerosLike(p);
            }
            String name = "grad." + p;
            g.op("Identity", List.of(grad), name);
            Integer rank = shapes.rank(p);
            g.output(name, floatType(model, p), rank == null ? null : new Object[rank]);
            gradients.put(p, name);
        }
        return new GradientGraph(g.build(), loss, gradients);
    }

    /**
     * Every op type (with its node count) between {@code parameters} and {@code output} that has no
     * gradient rule, in graph order: all of them at once, so a user sees the whole gap in one go.
     */
    public static Map<String, Integer> unsupportedOps(ModelProto model, String output, List<String> parameters) {
        Map<String, Integer> missing = new LinkedHashMap<>();
        for (NodeProto node : pathNodes(model, List.of(output), parameters)) {
            if (GradientRules.rule(node.getOpType()) == null || !node.getDomain().isEmpty()) {
                String op = node.getDomain().isEmpty() ? node.getOpType() : node.getDomain() + "." + node.getOpType();
                missing.merge(op, 1, Integer::sum);
            }
        }
        return missing;
    }

    /**
     * The nodes, in graph order, through which a gradient flows from {@code parameters} to any of
     * {@code outputs} (nodes that stop gradients, and nodes off that path, are left out).
     */
    static List<NodeProto> pathNodes(ModelProto model, List<String> outputs, List<String> parameters) {
        List<NodeProto> nodes = model.getGraph().getNodeList();
        Set<String> reach = forwardReach(nodes, parameters);
        Set<String> needed = new HashSet<>(outputs);
        List<NodeProto> onPath = new ArrayList<>();
        for (int n = nodes.size() - 1; n >= 0; n--) {
            NodeProto node = nodes.get(n);
            if (node.getOutputList().stream().noneMatch(needed::contains) || GradientRules.stopsGradient(node)) {
                continue;
            }
            if (node.getOutputList().stream().noneMatch(reach::contains)) {
                continue;
            }
            onPath.add(node);
            node.getInputList().stream().filter(reach::contains).forEach(needed::add);
        }
        java.util.Collections.reverse(onPath);
        return onPath;
    }

    /** Values computed (through differentiable ops) from the parameters. */
    private static Set<String> forwardReach(List<NodeProto> nodes, List<String> parameters) {
        Set<String> reach = new HashSet<>(parameters);
        for (NodeProto node : nodes) {
            if (GradientRules.stopsGradient(node)) {
                continue;
            }
            if (node.getInputList().stream().anyMatch(reach::contains)) {
                reach.addAll(node.getOutputList());
            }
        }
        return reach;
    }

    /** The sum of all gradient contributions to {@code value} (one value), or null when none. */
    private static String total(GraphBuilder g, Map<String, List<String>> contributions, String value) {
        List<String> parts = contributions.get(value);
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        if (parts.size() > 1) {
            String sum = g.op("Sum", List.copyOf(parts));
            parts.clear();
            parts.add(sum);
        }
        return parts.get(0);
    }

    /** Element type of graph input or initializer {@code value}. */
    private static DataType floatType(ModelProto model, String value) {
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (v.getName().equals(value)) {
                return DataType.forNumber(v.getType().getTensorType().getElemType());
            }
        }
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getName().equals(value)) {
                return DataType.forNumber(t.getDataType());
            }
        }
        throw new IllegalArgumentException("no input or initializer '" + value + "'");
    }

    /** d loss / d loss: a scalar one when the loss is a scalar, else ones shaped like it. */
    private static String ones(GraphBuilder g, ShapeInfo shapes, String loss) {
        Integer rank = shapes.rank(loss);
        if (rank != null && rank == 0) {
            return g.scalar(1);
        }
        return g.expand(g.scalar(1), g.shape(loss));
    }

    private static void checkNames(ModelProto model, String loss, List<String> parameters) {
        Set<String> known = new HashSet<>();
        model.getGraph().getInputList().stream().map(ValueInfoProto::getName).forEach(known::add);
        model.getGraph().getInitializerList().stream().map(TensorProto::getName).forEach(known::add);
        Set<String> produced = new HashSet<>(known);
        model.getGraph().getNodeList().forEach(n -> produced.addAll(n.getOutputList()));
        String graph = "graph '" + model.getGraph().getName() + "'";
        if (!produced.contains(loss)) {
            throw new IllegalArgumentException(graph + " has no value '" + loss + "' to use as the loss");
        }
        for (String p : parameters) {
            if (!known.contains(p)) {
                throw new IllegalArgumentException(graph + ": parameter '" + p
                        + "' is neither a graph input nor an initializer");
            }
        }
    }
}
