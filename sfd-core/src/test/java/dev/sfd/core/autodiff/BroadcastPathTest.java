package dev.sfd.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Broadcast gradients are summed with build-time axes when shapes are known (symbolic dims included). */
class BroadcastPathTest {

    private static long count(ModelProto m, String op) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
    }

    @Test
    void sameSymbolicBatchNeedsNoRuntimeShapeArithmetic() {
        GraphBuilder g = GraphBuilder.create("static");
        String x = g.input("x", -1, 8);
        String y = g.input("y", -1, 8);
        String b = g.input("b", 8);
        String loss = g.output(g.reduceSum(g.add(g.mul(x, y), b), false));
        ModelProto m = ReverseMode.differentiate(g.build(), loss, List.of("x", "y", "b")).model();
        assertEquals(0, count(m, "NonZero"));
        assertEquals(1, count(m, "ReduceSum"), "only the loss is a ReduceSum");
        assertEquals(1, count(m, "ReduceProd"), "b's gradient is summed over the batch as one row product (ones·G)");
    }

    @Test
    void unrelatedSymbolicDimsFallBackToRuntimeAxes() {
        GraphBuilder g = GraphBuilder.create("dynamic");
        String x = g.input("x", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, "n", 8);
        String y = g.input("y", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, "m", 8);
        String loss = g.output(g.reduceSum(g.add(x, y), false));
        ModelProto m = ReverseMode.differentiate(g.build(), loss, List.of("x", "y")).model();
        assertTrue(count(m, "NonZero") >= 2);
    }

    @Test
    void splitOutputsKeepTheirShapesSoModulationGradientsAreStatic() {
        // adaLN style: per-sample shift and scale split from one [B, 1, 2D] projection, broadcast over tokens
        GraphBuilder g = GraphBuilder.create("split");
        String h = g.input("h", -1, 4, 8);
        String c = g.input("c", -1, 16);
        String[] m = g.split(g.unsqueeze(c, 1), 2, 8, 8);
        String loss = g.output(g.reduceSum(g.add(g.mul(h, m[1]), m[0]), false));
        ModelProto model = ReverseMode.differentiate(g.build(), loss, List.of("h", "c")).model();
        assertEquals(0, count(model, "NonZero"), "shift and scale gradients summed over tokens with build-time axes");
    }
}
