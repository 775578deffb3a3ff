package dev.sfd.bench;

import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.onnx.nn.ExampleNets;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.training.AdamConfig;
import dev.sfd.core.training.LearningRateSchedule;
import dev.sfd.core.training.TrainingRunner;
import dev.sfd.core.training.WeightedL2Loss;
import java.util.List;
import java.util.Map;

/** Our engine: the image ε-net's training step (forward + loss + backward + Adam) as one ORT session. */
final class OnnxRuntimeStep implements AutoCloseable {

    private final OnnxModel model;
    private final TrainingRunner runner;

    OnnxRuntimeStep(BenchConfig c) {
        GraphBuilder g = GraphBuilder.create("bench-image-eps");
        String x = g.input("x", -1, c.channels(), c.size(), c.size());
        String t = g.input("t", -1);
        g.outputAs(ExampleNets.imageEpsNet(g, x, t, c.channels(), c.size(), c.patch(), c.dim(), c.heads(), c.depth(),
                new Init(1)), "eps");
        model = new OnnxModel(g.build());
        runner = TrainingRunner.create(model, "eps", new WeightedL2Loss("target", null, 4), null, AdamConfig.defaults(),
                LearningRateSchedule.constant(1e-4), SessionConfig.cpu(c.threads()), List.of());
    }

    OnnxModel model() {
        return model;
    }

    float step(FloatTensor x, FloatTensor t, FloatTensor target) {
        return runner.step(Map.of("x", x, "t", t, "target", target)).loss();
    }

    @Override
    public void close() {
        runner.close();
    }
}
