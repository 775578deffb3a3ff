package dev.sfd.core.teachers.imports;

import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;

/**
 * The interpolated discrete timestep of σ in an ᾱ table, as graph ops (the in-graph form of
 * {@link AlphaBarTable#timestepOf}): with ℓ_k = ln σ_k increasing in k, lo = #{k ∈ 1..n−2 : ℓ_k ≤ ln σ},
 * u = lo + (ln σ − ℓ_lo)/(ℓ_lo+1 − ℓ_lo), σ clipped to the table's range first. Only constants
 * (Constant nodes, never trained) and integer/shape ops touch σ, so no gradient is needed here.
 */
final class VpTimestepGraph {

    private VpTimestepGraph() {
    }

    /** Float [B] timesteps u ∈ [0, n−1] of the float [B] noise levels {@code sigma}. */
    static String timestepOf(GraphBuilder g, String sigma, AlphaBarTable table) {
        int n = table.size();
        double[] log = new double[n];
        for (int k = 0; k < n; k++) {
            log[k] = Math.log(table.sigma(k));
        }
        double[] inner = java.util.Arrays.copyOfRange(log, 1, n - 1);
        String logTable = g.constant(new long[] {n}, log);
        String innerRow = g.constant(new long[] {1, n - 2}, inner);
        String clipped = g.op("Clip", List.of(sigma, g.scalar(table.sigmaMin()), g.scalar(table.sigmaMax())));
        String ls = g.log(clipped);
        String below = g.op("LessOrEqual", List.of(innerRow, g.unsqueeze(ls, 1)));              // [B, n−2]
        String lo = g.reduceSum(g.op("Cast", List.of(below), Attrs.i("to", 7)), false, 1);      // int64 [B]
        String loLog = g.gather(logTable, lo);
        String hiLog = g.gather(logTable, g.op("Add", List.of(lo, g.int64(1))));
        String frac = g.div(g.sub(ls, loLog), g.sub(hiLog, loLog));
        String u = g.add(g.op("Cast", List.of(lo), Attrs.i("to", 1)), frac);
        return g.op("Clip", List.of(u, g.scalar(0), g.scalar(n - 1)));
    }
}
