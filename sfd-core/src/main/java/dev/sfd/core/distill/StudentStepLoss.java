package dev.sfd.core.distill;

import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.training.Loss;
import java.util.Arrays;
import java.util.List;

/**
 * The loss of one student step of Algorithm 2 (SFD.md "Training"), built inside the training graph:
 * {@code x^ψ = x + dt·ε_ψ(x, t_{n+1}, c, N)} with {@code dt = t_n − t_{n+1}} per sample, then
 * {@code d = (1/B)·Σ_b Σ_i |x^ψ_bi − x̃_bi|} (L1, summed over the sample, averaged over the batch).
 * Adds the batch inputs {@link #DT} [B] and {@link #TARGET} (x̃_n, shaped like x); x^ψ is the
 * value {@link #X_NEXT}, returned by the training step so the loop can detach it.
 *
 * @param x    the network's sample input (contract: "x")
 * @param rank rank of x including the batch axis
 */
public record StudentStepLoss(String x, int rank) implements Loss {

    public static final String DT = "sfd.dt";
    public static final String TARGET = "sfd.target";
    public static final String X_NEXT = "sfd.x_next";

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
        String perSample = g.reduceSum(g.reshape(g.abs(g.sub(xNext, target)), 0, -1), false, 1);
        return g.reduceMean(perSample, false); // d(x^ψ, x̃_n): L1 per sample, mean over the batch
    }
}
