package dev.sfd.bench;

import dev.sfd.bench.OnnxRuntimeStep.StepInputs;
import dev.sfd.core.teachers.TeacherMetadata;
import dev.sfd.core.teachers.TeacherPretrainer;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

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
        StepInputs in = inputs(c);
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

    /** One batch exactly as the teacher's pretraining draws it (real shapes images, σ, labels incl. ∅, ε, λ(σ)/D). */
    static StepInputs inputs(BenchConfig c) {
        Map<String, Object> feed = TeacherPretrainer.trainingBatch(c.recipe(), c.recipe().seed());
        return new StepInputs((FloatTensor) feed.get(TeacherMetadata.X), (FloatTensor) feed.get(TeacherMetadata.T),
                (long[]) feed.get(TeacherMetadata.COND), (FloatTensor) feed.get(TeacherPretrainer.TARGET),
                (FloatTensor) feed.get(TeacherPretrainer.WEIGHT));
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

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
