package dev.sfd.core.training;

import dev.sfd.core.onnx.GraphBuilder;

/** Shared pieces of the losses. */
final class LossInputs {

    private LossInputs() {
    }

    /** Symbolic dims of a per-sample tensor of the given rank (axis 0 = "batch"). */
    static long[] batchDims(int rank) {
        long[] dims = new long[rank];
        java.util.Arrays.fill(dims, -1);
        return dims;
    }

    /** [B, ...] → [B]: the sum over each sample's elements. */
    static String sumPerSample(GraphBuilder g, String x) {
        return g.reduceSum(g.reshape(x, 0, -1), false, 1);
    }
}
