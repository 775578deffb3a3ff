package dev.sfd.core.training;

import dev.sfd.core.onnx.GraphBuilder;

/**
 * The (weighted) denoising loss: L = (1/B)·Σ_b λ_b·Σ_i (pred_bi − target_bi)², e.g. with
 * pred = ε_θ(x₀ + tε, t), target = ε and λ_b = λ(t_b). Adds the input {@code targetInput} and,
 * when {@code weightInput} is not null, the per-sample weights [B].
 */
public record WeightedL2Loss(String targetInput, String weightInput, int rank) implements Loss {

    @Override
    public String append(GraphBuilder g, String prediction) {
        String target = g.input(targetInput, LossInputs.batchDims(rank));
        String diff = g.sub(prediction, target);
        String perSample = LossInputs.sumPerSample(g, g.mul(diff, diff));
        if (weightInput != null) {
            perSample = g.mul(perSample, g.input(weightInput, -1));
        }
        return g.reduceMean(perSample, false);
    }
}
