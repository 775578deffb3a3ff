package dev.sfd.core.distill;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.onnx.nn.Embedding;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.LayerNorm;
import dev.sfd.core.onnx.nn.Linear;
import dev.sfd.core.onnx.nn.ResidualMlpBlock;
import dev.sfd.core.onnx.nn.SinusoidalEmbedding;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.training.LearningRateSchedule;
import dev.sfd.core.training.TrainingRunner;
import dev.sfd.core.training.WeightedL2Loss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A small mixture2d teacher built to the teacher contract for these tests (the built-in teachers
 * live elsewhere): x [B, 2], t [B], cond int64 [B] (C + 1 embedding rows, −1 = ∅), EDM input
 * scaling inside the graph, a named time embedding, ~seconds of ε-regression pretraining. Cached
 * under target/ between runs.
 */
final class TestTeachers {

    static final double T_MIN = 0.002;
    static final double T_MAX = 80;
    static final int CLASSES = 8;
    static final int WIDTH = 64;
    static final double SIGMA_DATA = 1.5;
    private static final int PRETRAIN_STEPS = 600;
    private static OnnxModel mixture;

    private TestTeachers() {
    }

    /** The untrained contract net (deterministic). */
    static OnnxModel mixtureNet(long seed) {
        Init init = new Init(seed);
        GraphBuilder g = GraphBuilder.create("test-mixture2d-teacher");
        String x = g.input("x", -1, 2);
        String t = g.input("t", -1);
        String cond = g.input("cond", DataType.INT64, "batch");
        String t2s = g.add(g.mul(t, t), g.scalar(SIGMA_DATA * SIGMA_DATA)); // t² + σ_d²
        String cIn = g.unsqueeze(g.div(g.scalar(1), g.sqrt(t2s)), 1);
        String xIn = g.mul(x, cIn);
        String noise = g.scale(g.log(t), 10); // c_noise ∝ log t
        Linear t1 = new Linear(g, "temb.fc1", 32, WIDTH, init);
        Linear t2 = new Linear(g, "temb.fc2", WIDTH, WIDTH, init);
        String temb = g.op("Identity", List.of(t2.apply(g.silu(t1.apply(SinusoidalEmbedding.apply(g, noise, 32, 1000))))),
                "time_embedding");
        String c = g.add(temb, new Embedding(g, "label", CLASSES + 1, WIDTH, init).apply(cond));
        String h = new Linear(g, "in", 2, WIDTH, init).apply(xIn);
        for (int b = 0; b < 3; b++) {
            h = new ResidualMlpBlock(g, "block" + b, WIDTH, 2 * WIDTH, WIDTH, init).apply(h, c);
        }
        String f = new Linear(g, "out", WIDTH, 2, init).apply(new LayerNorm(g, "out.norm", WIDTH).apply(h));
        // EDM: D = c_skip·x + c_out·F, so ε = (x − D)/t = x·t/(t² + σ_d²) − F·σ_d/sqrt(t² + σ_d²)
        String xPart = g.mul(x, g.unsqueeze(g.div(t, t2s), 1));
        g.outputAs(g.sub(xPart, g.mul(f, g.scale(cIn, SIGMA_DATA))), "eps");
        g.metadata("sfd.kind", "teacher");
        g.metadata("sfd.dataset", "mixture2d");
        g.metadata("sfd.sample_shape", "2");
        g.metadata("sfd.t_min", Double.toString(T_MIN));
        g.metadata("sfd.t_max", Double.toString(T_MAX));
        g.metadata("sfd.cond.classes", Integer.toString(CLASSES));
        g.metadata("sfd.time_embedding", "time_embedding");
        g.metadata("sfd.time_embedding.dim", Integer.toString(WIDTH));
        g.metadata("sfd.recipe", "{\"test\":true}");
        return new OnnxModel(g.build());
    }

    /** The pretrained test teacher (trained once per JVM, cached in target/). */
    static synchronized OnnxModel mixture() {
        if (mixture != null) {
            return mixture;
        }
        Path cache = Path.of("target", "test-teachers", "mixture2d-test-v2-" + PRETRAIN_STEPS + ".onnx");
        if (Files.exists(cache)) {
            return mixture = OnnxModel.load(cache);
        }
        long t0 = System.nanoTime();
        Mixture2d data = Mixture2d.ring();
        int batch = 256;
        SplitMix64 rng = new SplitMix64(11);
        try (TrainingRunner runner = TrainingRunner.builder(mixtureNet(3), "eps").loss(new WeightedL2Loss("target", "weight", 2))
                .schedule(LearningRateSchedule.constantThenDrop(3e-3, PRETRAIN_STEPS * 3 / 4, 0.1))
                .session(SessionConfig.cpu(2)).build()) {
            for (int s = 0; s < PRETRAIN_STEPS; s++) {
                float[] x = new float[2 * batch];
                float[] t = new float[batch];
                float[] eps = new float[2 * batch];
                long[] cond = new long[batch];
                float[] w = new float[batch];
                for (int i = 0; i < batch; i++) {
                    int k = (int) Math.floorMod(rng.nextLong(), CLASSES);
                    Mixture2d.Mode m = data.modes().get(k);
                    cond[i] = rng.nextDouble() < 0.1 ? -1 : k; // label dropout for the ∅ branch
                    double u = rng.nextDouble();
                    t[i] = (float) Math.exp(Math.log(T_MIN) + u * (Math.log(T_MAX) - Math.log(T_MIN)));
                    w[i] = (float) ((t[i] * t[i] + SIGMA_DATA * SIGMA_DATA) / (SIGMA_DATA * SIGMA_DATA)); // unit F-loss
                    for (int d = 0; d < 2; d++) {
                        double x0 = (d == 0 ? m.x() : m.y()) + Mixture2d.MODE_STD * rng.nextGaussian();
                        double e = rng.nextGaussian();
                        eps[2 * i + d] = (float) e;
                        x[2 * i + d] = (float) (x0 + t[i] * e);
                    }
                }
                runner.step(Map.of("x", new FloatTensor(new long[] {batch, 2}, x), "t",
                        new FloatTensor(new long[] {batch}, t), "cond", cond, "target",
                        new FloatTensor(new long[] {batch, 2}, eps), "weight", new FloatTensor(new long[] {batch}, w)));
            }
            mixture = runner.exportInference(Map.of());
        }
        try {
            Files.createDirectories(cache.getParent());
            mixture.save(cache);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.printf("pretrained test mixture2d teacher in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return mixture;
    }

    static TeacherInfo info(OnnxModel teacher) {
        return TeacherInfo.of("test-mixture2d", teacher, teacher.toBytes());
    }
}
