package dev.sfd.core.distill;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.nn.Embedding;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.LayerNorm;
import dev.sfd.core.onnx.nn.Linear;
import dev.sfd.core.onnx.nn.ResidualMlpBlock;
import dev.sfd.core.onnx.nn.SinusoidalEmbedding;
import java.util.List;

/**
 * A small mixture2d teacher built to the teacher contract for these tests (the built-in teachers
 * are in dev.sfd.core.teachers): x [B, 2], t [B], cond int64 [B] (C + 1 embedding rows, −1 = ∅),
 * EDM preconditioning inside the graph, a named time embedding; untrained (seeded).
 */
final class TestTeachers {

    static final double T_MIN = 0.002;
    static final double T_MAX = 80;
    static final int CLASSES = 8;
    static final int WIDTH = 64;
    static final double SIGMA_DATA = 1.5;

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

    static TeacherInfo info(OnnxModel teacher) {
        return TeacherInfo.of("test-mixture2d", teacher, teacher.toBytes());
    }
}
