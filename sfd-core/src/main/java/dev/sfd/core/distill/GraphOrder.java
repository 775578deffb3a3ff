package dev.sfd.core.distill;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Topological order of a graph's nodes (ONNX requires producers before consumers). Stable: each
 * node is emitted right after the producers of its inputs, so an already ordered graph keeps its
 * order and appended nodes move up to just before their first consumer's position is needed.
 */
public final class GraphOrder {

    private GraphOrder() {
    }

    /** The graph with its nodes in topological order; throws on a cycle. */
    public static GraphProto sorted(GraphProto graph) {
        List<NodeProto> nodes = graph.getNodeList();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).getOutputList()) {
                if (!out.isEmpty()) {
                    producer.put(out, i);
                }
            }
        }
        int[] state = new int[nodes.size()]; // 0 new, 1 on stack, 2 emitted
        List<NodeProto> order = new ArrayList<>(nodes.size());
        for (int root = 0; root < nodes.size(); root++) {
            if (state[root] != 0) {
                continue;
            }
            Deque<int[]> stack = new ArrayDeque<>(); // {node, next input index}
            stack.push(new int[] {root, 0});
            state[root] = 1;
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                NodeProto n = nodes.get(top[0]);
                if (top[1] < n.getInputCount()) {
                    Integer p = producer.get(n.getInput(top[1]++));
                    if (p == null || state[p] == 2) {
                        continue;
                    }
                    if (state[p] == 1) {
                        throw new IllegalArgumentException("graph '" + graph.getName() + "' has a cycle through node '"
                                + nodes.get(p).getName() + "'");
                    }
                    state[p] = 1;
                    stack.push(new int[] {p, 0});
                } else {
                    stack.pop();
                    state[top[0]] = 2;
                    order.add(n);
                }
            }
        }
        return graph.toBuilder().clearNode().addAllNode(order).build();
    }
}
