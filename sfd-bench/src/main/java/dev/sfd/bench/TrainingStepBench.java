package dev.sfd.bench;

import dev.sfd.bench.OnnxRuntimeStep.StepInputs;
import dev.sfd.core.teachers.EdmPreconditioning;
import dev.sfd.core.teachers.ShapesLabels;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Times one training step (forward + loss + backward + Adam, 2 threads) of the built-in shapes
 * teacher's architecture at its recipe's batch size, in our ONNX Runtime engine and in DJL's
 * PyTorch engine, in the same JVM, in alternating rounds; prints the median per-step time of each
 * and their ratio. Not a test: nothing is asserted. DJL runs offline from the jars on the
 * classpath. Optional argument: the number of rounds (default 5).
 */
public final class TrainingStepBench {

    private TrainingStepBench() {
    }

    public static void main(String[] args) {
        BenchConfig c = BenchConfig.standard();
        if (args.length > 0) {
            c = c.withRounds(Integer.parseInt(args[0]));
        }
        configureDjl(c);
        StepInputs in = inputs(c, new Random(0));
        try (OnnxRuntimeStep ours = new OnnxRuntimeStep(c);
                DjlPyTorchStep torch = new DjlPyTorchStep(c, ours.model().parameters())) {
            System.out.printf("network: shapes teacher (%s), %,d parameters, batch %d, %d threads%n",
                    c.recipe().architecture(), ours.model().parameterCount(), c.batch(), c.threads());
            float l0 = ours.step(in);
            float t0 = torch.step(in, false);
            System.out.printf("first-step loss: ours %.5f, PyTorch %.5f (same weights and batch)%n", l0, t0);
            for (int i = 1; i < c.warmupSteps(); i++) {
                ours.step(in);
                torch.step(in, true);
            }
            List<Double> oursMs = new ArrayList<>();
            List<Double> torchMs = new ArrayList<>();
            for (int round = 0; round < c.rounds(); round++) {
                long a = System.nanoTime();
                for (int i = 0; i < c.stepsPerRound(); i++) {
                    ours.step(in);
                }
                long b = System.nanoTime();
                for (int i = 0; i < c.stepsPerRound(); i++) {
                    torch.step(in, true);
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

    /** A pretraining-like batch: noisy images, σ from the recipe's log-normal, labels incl. ∅, ε targets, λ(σ)/D. */
    static StepInputs inputs(BenchConfig c, Random r) {
        int n = c.batch();
        FloatTensor x = gaussian(r, c.imageShape());
        FloatTensor target = gaussian(r, c.imageShape());
        float[] t = new float[n];
        float[] w = new float[n];
        long[] cond = new long[n];
        int perSample = x.data().length / n;
        for (int i = 0; i < n; i++) {
            double sigma = Math.exp(c.recipe().pMean() + c.recipe().pStd() * r.nextGaussian());
            t[i] = (float) sigma;
            w[i] = (float) (EdmPreconditioning.epsilonLossWeight(sigma, c.recipe().sigmaData()) / perSample);
            cond[i] = r.nextInt(ShapesLabels.CLASSES + 1) - 1;
        }
        return new StepInputs(x, new FloatTensor(new long[] {n}, t), cond, target, new FloatTensor(new long[] {n}, w));
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
