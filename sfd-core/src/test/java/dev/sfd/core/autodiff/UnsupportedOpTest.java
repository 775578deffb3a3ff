package dev.sfd.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An op without a gradient rule on the parameter → loss path fails loudly, naming op and node. */
class UnsupportedOpTest {

    @Test
    void unsupportedOpOnThePathIsAnErrorNamingOpAndNode() {
        GraphBuilder g = GraphBuilder.create("unsupported");
        String x = g.input("x", 3, 4);
        String w = g.input("w", 4, 4);
        String y = g.op("Softplus", List.of(g.matMul(x, w)), "my_softplus_out");
        String loss = g.output(g.reduceSum(y, false));
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                () -> ReverseMode.differentiate(g.build(), loss, List.of("w")));
        assertEquals("Softplus", e.opType());
        assertTrue(e.getMessage().contains("Softplus") && e.getMessage().contains(e.nodeName()), e.getMessage());
        assertTrue(e.nodeName().contains("my_softplus_out"), e.nodeName());
    }

    /** Einsum forms the rule cannot do are refused naming the equation and the reason. */
    @Test
    void einsumWithEllipsisOrRepeatedIndexIsRefusedWithTheReason() {
        for (String[] cs : new String[][] {{"...ij,...jk->...ik", "ellipsis"}, {"ii,ij->j", "repeats index 'i'"}}) {
            GraphBuilder g = GraphBuilder.create("einsum_refused");
            String x = g.input("x", 3, 3);
            String w = g.input("w", 3, 3);
            String loss = g.output(g.reduceSum(g.op("Einsum", List.of(x, w), Attrs.s("equation", cs[0])), false));
            UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                    () -> ReverseMode.differentiate(g.build(), loss, List.of("w")));
            assertTrue(e.getMessage().contains(cs[0]) && e.getMessage().contains(cs[1]), e.getMessage());
        }
    }

    @Test
    void unsupportedOpOffThePathIsFine() {
        GraphBuilder g = GraphBuilder.create("unsupported-elsewhere");
        String x = g.input("x", 3, 4);
        String w = g.input("w", 4, 4);
        String frozen = g.op("Einsum", List.of(x, x), Attrs.s("equation", "ij,ij->i"));
        String loss = g.output(g.reduceSum(g.mul(g.reduceSum(g.matMul(x, w), false, 1), frozen), false));
        GradientGraph grads = ReverseMode.differentiate(g.build(), loss, List.of("w"));
        assertEquals("grad.w", grads.gradients().get("w"));
    }
}
