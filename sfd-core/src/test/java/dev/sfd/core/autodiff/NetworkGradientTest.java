package dev.sfd.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.ExampleNets;
import org.junit.jupiter.api.Test;

/** Whole networks' parameter gradients against central finite differences (float64). */
class NetworkGradientTest {

    @Test
    void mixtureEpsNetWithSiluLayerNormAndEmbeddings() throws Exception {
        GradCase c = new GradCase("mixture_eps_net");
        String x = c.fixed("x", -2, 2, 4, 2);
        String t = c.fixed("t", 0.1, 5, 4);
        String label = c.ints("label", new long[] {4}, new long[] {0, 2, 1, 2});
        String eps = ExampleNets.mixtureEpsNet(c.g, x, t, label, 6, 2, 3, new Init(7));
        c.allParameters();
        double error = c.check(eps);
        System.out.printf("FD mixture_eps_net max rel error %.2e%n", error);
        assertTrue(error < 1e-6);
    }

    @Test
    void tinyImageTransformer() throws Exception {
        GradCase c = new GradCase("image_eps_net");
        String x = c.fixed("x", -1, 1, 2, 3, 4, 4);
        String t = c.fixed("t", 0.1, 5, 2);
        String eps = ExampleNets.imageEpsNet(c.g, x, t, 3, 4, 2, 4, 2, 1, new Init(11));
        c.allParameters();
        double error = c.check(eps);
        System.out.printf("FD image_eps_net max rel error %.2e%n", error);
        assertTrue(error < 1e-6);
    }
}
