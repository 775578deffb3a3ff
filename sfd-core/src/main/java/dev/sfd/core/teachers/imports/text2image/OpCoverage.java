package dev.sfd.core.teachers.imports.text2image;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.sfd.core.autodiff.GradientRules;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which ops of a graph the reverse-mode pass cannot differentiate. One method, so the lead can swap
 * the registry behind it (today {@link GradientRules}) for a fuller coverage class.
 */
public final class OpCoverage {

    private OpCoverage() {
    }

    /** Op types in {@code graph} (and its subgraphs) with neither a gradient rule nor a stop-gradient, sorted. */
    public static Set<String> unsupportedOps(GraphProto graph) {
        Set<String> out = new TreeSet<>();
        collect(graph, out);
        return out;
    }

    private static void collect(GraphProto graph, Set<String> out) {
        for (NodeProto node : graph.getNodeList()) {
            String name = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx") ? node.getOpType()
                    : node.getDomain() + "::" + node.getOpType();
            if (GradientRules.rule(node.getOpType()) == null && !GradientRules.stopsGradient(node)) {
                out.add(name);
            }
            node.getAttributeList().forEach(a -> {
                if (a.hasG()) {
                    collect(a.getG(), out);
                }
                a.getGraphsList().forEach(g -> collect(g, out));
            });
        }
    }
}
