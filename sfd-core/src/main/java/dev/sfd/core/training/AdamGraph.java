package dev.sfd.core.training;

import dev.sfd.core.onnx.GraphBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends an Adam update, written as ordinary ONNX ops, to a graph that computes gradients.
 * Per parameter p with gradient g, moments m, v and step t (a float input, 1-based):
 * <pre>
 *   g  ← 0 where g is NaN or ±∞            (non-finite guard: g − g ≠ 0 exactly there)
 *   m' = β1·m + (1−β1)·g
 *   v' = β2·v + (1−β2)·g²
 *   p' = p − lr/(1−β1ᵗ) · m' / (√v'/√(1−β2ᵗ) + ε)
 *      = p − [lr·√(1−β2ᵗ)/(1−β1ᵗ)] · m' / (√v' + ε·√(1−β2ᵗ))   (scalars folded: fewer full-size ops)
 * </pre>
 * Inputs added: {@link #STEP}, {@link #LEARNING_RATE}, and {@code adam.m.<p>}, {@code adam.v.<p>}
 * shaped like p. Outputs are named by {@link #next}.
 */
public final class AdamGraph {

    public static final String STEP = "adam.step";
    public static final String LEARNING_RATE = "adam.lr";

    private AdamGraph() {
    }

    public static String firstMoment(String param) {
        return "adam.m." + param;
    }

    public static String secondMoment(String param) {
        return "adam.v." + param;
    }

    /** The output carrying the updated value of state input {@code name}. */
    public static String next(String name) {
        return "next." + name;
    }

    /**
     * Appends the update for every (parameter → gradient value) pair and declares the outputs
     * next(p), next(m), next(v) in that order per parameter. {@code shapes} gives each
     * parameter's dims (for the moment inputs).
     *
     * @return state input name → output name carrying its next value
     */
    public static Map<String, String> append(GraphBuilder g, Map<String, String> gradients,
            Map<String, long[]> shapes, AdamConfig config) {
        String step = g.input(STEP);
        String lr = g.input(LEARNING_RATE);
        String beta1 = g.scalar(config.beta1());
        String beta2 = g.scalar(config.beta2());
        String one = g.scalar(1);
        // shared scalars: lr·√(1−β2ᵗ)/(1−β1ᵗ) and ε·√(1−β2ᵗ)
        String sqrtBc2 = g.sqrt(g.sub(one, g.op("Pow", List.of(beta2, step))));
        String stepSize = g.div(g.mul(lr, sqrtBc2), g.sub(one, g.op("Pow", List.of(beta1, step))));
        String epsilon = g.mul(g.scalar(config.epsilon()), sqrtBc2);
        Map<String, String> next = new LinkedHashMap<>();
        for (var e : gradients.entrySet()) {
            String p = e.getKey();
            long[] dims = shapes.get(p);
            String m = g.input(firstMoment(p), dims);
            String v = g.input(secondMoment(p), dims);
            String grad = finiteOrZero(g, e.getValue());
            // the last op of each update writes the output directly (an Identity would copy it)
            String m2 = g.op("Add", List.of(g.scale(m, config.beta1()), g.scale(grad, 1 - config.beta1())), next(m));
            String v2 = g.op("Add", List.of(g.scale(v, config.beta2()), g.scale(g.mul(grad, grad), 1 - config.beta2())),
                    next(v));
            String denom = g.add(g.sqrt(v2), epsilon);
            g.op("Sub", List.of(p, g.mul(stepSize, g.div(m2, denom))), next(p));
            next.put(p, declare(g, next(p), dims));
            next.put(m, declare(g, m2, dims));
            next.put(v, declare(g, v2, dims));
        }
        return next;
    }

    /** g where finite, 0 where NaN or ±∞. */
    private static String finiteOrZero(GraphBuilder g, String grad) {
        String finite = g.op("Equal", List.of(g.sub(grad, grad), g.scalar(0)));
        return g.where(finite, grad, g.scalar(0));
    }

    private static String declare(GraphBuilder g, String name, long[] dims) {
        Object[] d = new Object[dims.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims[i];
        }
        return g.output(name, g.floatType(), d);
    }
}
