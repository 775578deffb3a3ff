package dev.sfd.core.training;

import dev.sfd.core.onnx.GraphBuilder;

/**
 * The SFD distance: L = (1/B)·Σ_b Σ_i |pred_bi − target_bi|, summed over each sample's
 * elements and averaged over the batch. Adds the input {@code targetInput} shaped like the
 * prediction (batch first).
 */
public record L1Loss(String targetInput, int rank) implements Loss {

    @Override
    public String append(GraphBuilder g, String prediction) {
        String target = g.input(targetInput, LossInputs.batchDims(rank));
        String perSample = LossInputs.sumPerSample(g, g.abs(g.sub(prediction, target)));
        return g.reduceMean(perSample, false);
    }
}
