package dev.sfd.core.distill;

import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.training.Loss;
import java.util.Arrays;
import java.util.List;

/**
 * The loss of one student step of Algorithm 2 (SFD.md "Training"), built inside the training graph:
 * {@code x^ψ = x + dt·ε_ψ(x, t_{n+1}, c, N)} with {@code dt = t_n − t_{n+1}} per sample, then a
 * per-sample distance to x̃_n averaged over the batch, δ = x^ψ − x̃_n:
 * <ul>
 *   <li>"l1" (the paper's): {@code Σ_i |δ_i|};</li>
 *   <li>"l2": {@code Σ_i δ_i²};</li>
 *   <li>"pseudo-huber" (Song &amp; Dhariwal 2023): {@code sqrt(Σ_i δ_i² + c²) − c} with
 *       {@code c = huberC·sqrt(D)}, D the elements per sample (L2² near 0, L2 norm far away).</li>
 * </ul>
 * Adds the batch inputs {@link #DT} [B] and {@link #TARGET} (x̃_n, shaped like x); x^ψ is the
 * value {@link #X_NEXT}, returned by the training step so the loop can detach it.
 *
 * @param x      the network's sample input (contract: "x")
 * @param rank   rank of x including the batch axis
 * @param kind   "l1", "l2" or "pseudo-huber" ({@link SfdConfig#LOSSES})
 * @param huberC c per sqrt(element) of the pseudo-Huber loss
 * @param elements D, elements per sample (for c)
 */
public record StudentStepLoss(String x, int rank, String kind, double huberC, long elements) implements Loss {

    public static final String DT = "sfd.dt";
    public static final String TARGET = "sfd.target";
    public static final String X_NEXT = "sfd.x_next";

    /** The paper's L1 loss. */
    public StudentStepLoss(String x, int rank) {
        this(x, rank, "l1", 1, 1);
    }

    /** The loss a run's config asks for ({@link SfdConfig#loss()}, {@link SfdConfig#huberC()}), on samples of {@code shape}. */
    public static StudentStepLoss of(SfdConfig config, long[] shape) {
        long d = 1;
        for (long v : shape) {
            d *= v;
        }
        return new StudentStepLoss("x", shape.length + 1, config.loss(), config.huberC(), d);
    }

    public StudentStepLoss {
        if (!SfdConfig.LOSSES.contains(kind)) {
            throw new IllegalArgumentException("student step loss: unknown kind '" + kind + "'; use one of "
                    + SfdConfig.LOSSES);
        }
    }

    /** c of the pseudo-Huber loss for one sample. */
    public double huberScale() {
        return huberC * Math.sqrt(elements);
    }

    @Override
    public String append(GraphBuilder g, String eps) {
        long[] perSampleScalar = new long[rank];
        Arrays.fill(perSampleScalar, 1);
        perSampleScalar[0] = -1;
        String dt = g.reshape(g.input(DT, -1), perSampleScalar);
        String xNext = g.op("Add", List.of(x, g.mul(dt, eps)), X_NEXT); // x^ψ = x + (t_n − t_{n+1})·ε_ψ
        long[] dims = new long[rank];
        Arrays.fill(dims, -1);
        String target = g.input(TARGET, dims);
        String delta = g.reshape(g.sub(xNext, target), 0, -1);
        String perSample = switch (kind) {
            case "l1" -> g.reduceSum(g.abs(delta), false, 1);
            case "l2" -> g.reduceSum(g.mul(delta, delta), false, 1);
            default -> {
                double c = huberScale();
                String sq = g.reduceSum(g.mul(delta, delta), false, 1);
                yield g.sub(g.sqrt(g.add(sq, g.scalar(c * c))), g.scalar(c));
            }
        };
        return g.reduceMean(perSample, false); // d(x^ψ, x̃_n): per sample, mean over the batch
    }
}
