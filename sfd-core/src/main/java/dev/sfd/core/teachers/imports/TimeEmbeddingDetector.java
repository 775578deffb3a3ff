package dev.sfd.core.teachers.imports;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the value that carries a network's learned time embedding (the output of its time MLP),
 * where an SFD student adds its step-count embedding. Looks only at the graph's structure:
 * <ol>
 *   <li>time-only values: computed from the time input (and parameters), not from the sample or
 *       the condition (shape reads such as {@code Shape(sample)} do not count as data);</li>
 *   <li>learned ones: a weight matrix (an initializer of rank ≥ 2) was applied on the way;</li>
 *   <li>the frontier: learned time-only values that a node mixing in the sample or the
 *       condition consumes;</li>
 *   <li>the answer: the latest learned time-only value through which every path from the time
 *       input to the frontier passes (its dominator), so all time conditioning sees the step count.</li>
 * </ol>
 * Returns candidates latest first; the caller keeps the first one that is shaped [B, D].
 */
public final class TimeEmbeddingDetector {

    private static final Set<String> SHAPE_READS = Set.of("Shape", "Size");

    private TimeEmbeddingDetector() {
    }

    /**
     * @param timeInput  the graph input holding the noise level / timestep
     * @param dataInputs the other inputs (sample, condition)
     */
    public static List<String> candidates(GraphProto graph, String timeInput, Collection<String> dataInputs) {
        Map<String, TensorProto> inits = new HashMap<>();
        graph.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Set<String> fromTime = new HashSet<>(Set.of(timeInput));
        Set<String> fromData = new HashSet<>(dataInputs);
        Set<String> learned = new HashSet<>();
        List<NodeProto> nodes = graph.getNodeList();
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto n : nodes) {
            boolean shapeRead = SHAPE_READS.contains(n.getOpType());
            boolean t = false;
            boolean d = false;
            boolean l = false;
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                if (shapeRead) {
                    continue;
                }
                t |= fromTime.contains(in);
                d |= fromData.contains(in);
                l |= learned.contains(in) || (inits.containsKey(in) && inits.get(in).getDimsCount() >= 2);
            }
            for (String out : n.getOutputList()) {
                if (t) {
                    fromTime.add(out);
                }
                if (d) {
                    fromData.add(out);
                }
                if (t && l) {
                    learned.add(out);
                }
            }
        }
        Set<String> timeOnly = new HashSet<>(fromTime);
        timeOnly.removeAll(fromData);
        Set<String> learnedTimeOnly = new HashSet<>(learned);
        learnedTimeOnly.retainAll(timeOnly);
        Set<String> frontier = new HashSet<>();
        for (String v : learnedTimeOnly) {
            for (NodeProto c : consumers.getOrDefault(v, List.of())) {
                if (c.getOutputList().stream().anyMatch(fromData::contains)) {
                    frontier.add(v);
                }
            }
        }
        if (frontier.isEmpty()) {
            return List.of();
        }
        List<String> ordered = new ArrayList<>();
        for (NodeProto n : nodes) {
            for (String out : n.getOutputList()) {
                if (learnedTimeOnly.contains(out)) {
                    ordered.add(out);
                }
            }
        }
        List<String> result = new ArrayList<>();
        for (int i = ordered.size() - 1; i >= 0; i--) {
            String v = ordered.get(i);
            if (dominates(v, timeInput, frontier, timeOnly, consumers)) {
                result.add(v);
            }
        }
        return result;
    }

    /** True if no path from the time input reaches a frontier value other than {@code v} without passing v. */
    private static boolean dominates(String v, String timeInput, Set<String> frontier, Set<String> timeOnly,
            Map<String, List<NodeProto>> consumers) {
        Deque<String> queue = new ArrayDeque<>(List.of(timeInput));
        Set<String> seen = new HashSet<>(queue);
        while (!queue.isEmpty()) {
            String cur = queue.poll();
            if (cur.equals(v)) {
                continue;
            }
            if (frontier.contains(cur)) {
                return false;
            }
            for (NodeProto c : consumers.getOrDefault(cur, List.of())) {
                if (SHAPE_READS.contains(c.getOpType())) {
                    continue;
                }
                for (String out : c.getOutputList()) {
                    if (timeOnly.contains(out) && seen.add(out)) {
                        queue.add(out);
                    }
                }
            }
        }
        return true;
    }
}
