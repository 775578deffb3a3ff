package dev.sfd.core.autodiff;

import dev.sfd.core.onnx.GraphBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums of a gradient over its leading axes (a bias gradient: [B, T, C] → [C]) as one product
 * ones[1, R]·G[R, C] instead of ReduceSum: ONNX Runtime's ReduceSum over leading axes runs on one
 * thread, the MatMul on all of them (~2× faster on the benchmark's shapes). The ones row is built
 * once per row count R (by its probe value) from the first gradient that needs it and reused.
 */
final class RowSums {

    private final GraphBuilder g;
    private final Map<Long, String> onesByRows = new HashMap<>();

    RowSums(GraphBuilder g) {
        this.g = g;
    }

    /**
     * Σ of {@code grad} over its first {@code leading} axes, reshaped to {@code target}.
     *
     * @param probeRows the probe value of the product of those axes (same value = same row count)
     * @param columns   the product of the remaining axes (static)
     * @param target    static shape of the result
     */
    String sum(String grad, int leading, long probeRows, long columns, long[] target) {
        String rows = g.reshape(grad, -1, columns);                                   // G [R, C]
        String ones = onesByRows.computeIfAbsent(probeRows, k -> {
            String r = g.op("ReduceProd", List.of(g.op("Slice", List.of(g.shape(grad), g.ints(0), g.ints(leading)))));
            String shape = g.concat(0, g.ints(1), g.reshape(r, 1));                   // [1, R]
            return g.op("Expand", List.of(g.reshape(g.scalar(1), 1, 1), shape));
        });
        return g.reshape(g.matMul(ones, rows), target);                               // [1, C] → target
    }
}
