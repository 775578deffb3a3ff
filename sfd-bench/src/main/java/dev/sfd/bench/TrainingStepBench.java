package dev.sfd.bench;

import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Times one training step (forward + backward + Adam, batch 64, 2 threads) of an image-teacher
 * shaped network in our ONNX Runtime engine and in DJL's PyTorch engine, in the same JVM, in
 * alternating rounds; prints the median per-step time of each and their ratio. Not a test:
 * nothing is asserted. DJL runs offline from the jars on the classpath. Optional argument: the
 * number of rounds (default 5).
 */
public final class TrainingStepBench {

    private TrainingStepBench() {
    }

    public static void main(String[] args) {
        BenchConfig s = BenchConfig.standard();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : s.rounds();
        BenchConfig c = new BenchConfig(s.batch(), s.threads(), s.channels(), s.size(), s.patch(), s.dim(), s.heads(),
                s.depth(), s.warmupSteps(), rounds, s.stepsPerRound());
        configureDjl(c);
        Random r = new Random(0);
        FloatTensor x = gaussian(r, c.batch(), c.channels(), c.size(), c.size());
        FloatTensor target = gaussian(r, c.batch(), c.channels(), c.size(), c.size());
        float[] tv = new float[c.batch()];
        for (int i = 0; i < tv.length; i++) {
            tv[i] = (float) (0.01 + 80 * r.nextDouble());
        }
        FloatTensor t = new FloatTensor(new long[] {c.batch()}, tv);

        try (OnnxRuntimeStep ours = new OnnxRuntimeStep(c);
                DjlPyTorchStep torch = new DjlPyTorchStep(c, ours.model().parameters())) {
            System.out.printf("network: %,d parameters, batch %d, %d threads%n", ours.model().parameterCount(),
                    c.batch(), c.threads());
            float l0 = ours.step(x, t, target);
            float t0 = torch.step(x, t, target, false);
            System.out.printf("first-step loss: ours %.4f, PyTorch %.4f (same weights; PyTorch's GELU is the erf form)%n",
                    l0, t0);
            for (int i = 1; i < c.warmupSteps(); i++) {
                ours.step(x, t, target);
                torch.step(x, t, target, true);
            }
            List<Double> oursMs = new ArrayList<>();
            List<Double> torchMs = new ArrayList<>();
            for (int round = 0; round < c.rounds(); round++) {
                long a = System.nanoTime();
                for (int i = 0; i < c.stepsPerRound(); i++) {
                    ours.step(x, t, target);
                }
                long b = System.nanoTime();
                for (int i = 0; i < c.stepsPerRound(); i++) {
                    torch.step(x, t, target, true);
                }
                long d = System.nanoTime();
                oursMs.add((b - a) / 1e6 / c.stepsPerRound());
                torchMs.add((d - b) / 1e6 / c.stepsPerRound());
                System.out.printf("round %d: ours %.1f ms/step, PyTorch %.1f ms/step%n", round + 1,
                        oursMs.get(round), torchMs.get(round));
            }
            double mo = median(oursMs);
            double mt = median(torchMs);
            System.out.printf("median ms/step: ours (ONNX Runtime) %.1f, DJL PyTorch %.1f, ratio ours/PyTorch %.2f%n",
                    mo, mt, mo / mt);
        }
    }

    /** Offline DJL with a local cache, and PyTorch limited to the same thread count as ours. */
    private static void configureDjl(BenchConfig c) {
        System.setProperty("ai.djl.offline", "true");
        String cache = Path.of(System.getProperty("java.io.tmpdir"), "sfd-djl-cache").toString();
        System.setProperty("DJL_CACHE_DIR", System.getProperty("DJL_CACHE_DIR", cache));
        System.setProperty("ENGINE_CACHE_DIR", System.getProperty("ENGINE_CACHE_DIR", cache));
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(c.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static FloatTensor gaussian(Random r, long... shape) {
        FloatTensor f = FloatTensor.zeros(shape);
        for (int i = 0; i < f.data().length; i++) {
            f.data()[i] = (float) r.nextGaussian();
        }
        return f;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
