package dev.sfd.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxCheck;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.onnx.nn.ExampleNets;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training steps on ONNX Runtime: the loss goes down, parameters export and reload exactly. */
class TrainingRunnerTest {

    private static final int B = 64;

    /** The mixture ε-net as an inference model (float32, parameters as initializers). */
    private static OnnxModel mixtureNet() {
        GraphBuilder g = GraphBuilder.create("mixture-eps");
        String x = g.input("x", -1, 2);
        String t = g.input("t", -1);
        String label = g.input("label", ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64, "batch");
        g.outputAs(ExampleNets.mixtureEpsNet(g, x, t, label, 32, 2, 3, new Init(1)), "eps");
        g.metadata("sfd.model", "mixture-eps test net");
        return new OnnxModel(g.build());
    }

    /** A fixed regression batch: target = a smooth function of (x, t, label). */
    private static Map<String, Object> batch() {
        Random r = new Random(5);
        float[] x = new float[2 * B];
        float[] t = new float[B];
        long[] label = new long[B];
        float[] target = new float[2 * B];
        for (int b = 0; b < B; b++) {
            x[2 * b] = (float) r.nextGaussian();
            x[2 * b + 1] = (float) r.nextGaussian();
            t[b] = (float) (0.1 + 3 * r.nextDouble());
            label[b] = r.nextInt(3);
            target[2 * b] = (float) (Math.sin(2 * x[2 * b]) + 0.3 * label[b]);
            target[2 * b + 1] = (float) (x[2 * b + 1] * Math.cos(t[b]) - 0.2 * label[b]);
        }
        return Map.of("x", new FloatTensor(new long[] {B, 2}, x), "t", new FloatTensor(new long[] {B}, t),
                "label", label, "target", new FloatTensor(new long[] {B, 2}, target));
    }

    @Test
    void trainingDrivesRegressionLossDownTwentyfold() {
        OnnxModel net = mixtureNet();
        System.out.println("mixture net parameters: " + net.parameterCount());
        Map<String, Object> batch = batch();
        try (TrainingRunner runner = TrainingRunner.create(net, "eps", new WeightedL2Loss("target", null, 2), null,
                AdamConfig.defaults(), LearningRateSchedule.constantThenDrop(3e-3, 250, 0.1), SessionConfig.cpu(2),
                List.of())) {
            OnnxCheck.check(runner.graph().model());
            float first = runner.step(batch).loss();
            float last = first;
            for (int i = 1; i < 300; i++) {
                last = runner.step(batch).loss();
            }
            System.out.printf("regression loss %.4f -> %.5f (factor %.1f) after %d steps%n", first, last, first / last,
                    runner.stepCount());
            assertTrue(first / last >= 20, "loss fell only from " + first + " to " + last);
        }
    }

    @Test
    void exportedModelReloadsWithIdenticalOutputsAndMetadata(@TempDir Path dir) throws Exception {
        OnnxModel net = mixtureNet();
        Map<String, Object> batch = batch();
        try (TrainingRunner runner = TrainingRunner.builder(net, "eps").loss(new L1Loss("target", 2))
                .schedule(LearningRateSchedule.constant(1e-3)).session(SessionConfig.cpu(2)).outputs("eps").build()) {
            for (int i = 0; i < 5; i++) {
                runner.step(batch);
            }
            OnnxModel exported = runner.exportInference(Map.of("sfd.teacher", "unit-test"));
            OnnxCheck.check(exported.proto());
            Path file = dir.resolve("student.onnx");
            exported.save(file);
            assertTrue(Files.size(file) > 0);
            // the next step's forward output is computed with exactly the exported parameters
            FloatTensor inTraining = runner.step(batch).outputs().get("eps");
            FloatTensor reloaded = predict(OnnxModel.load(file), batch);
            FloatTensor inMemory = predict(exported, batch);
            assertArrayEquals(inMemory.data(), reloaded.data(), "reloaded file must give identical outputs");
            assertArrayEquals(inTraining.data(), reloaded.data(), 1e-5f);
            FloatTensor original = predict(net, batch);
            assertNotEquals(original, reloaded, "training must have changed the outputs");

            Map<String, String> meta = OnnxModel.load(file).metadata();
            assertEquals("5", meta.get("sfd.training.steps"));
            assertEquals("unit-test", meta.get("sfd.teacher"));
            assertEquals("mixture-eps test net", meta.get("sfd.model"));
            assertTrue(meta.get("sfd.training.optimizer").startsWith("Adam(beta1=0.9"));
        }
    }

    @Test
    void readsCurrentParametersAndTrainsOnlyTheChosenOnes() {
        OnnxModel net = mixtureNet();
        try (TrainingRunner runner = TrainingRunner.create(net, "eps", new L1Loss("target", 2),
                List.of("out.weight", "out.bias"), AdamConfig.defaults(), LearningRateSchedule.constant(1e-2),
                SessionConfig.cpu(1), List.of())) {
            FloatTensor before = runner.parameters().get("out.weight");
            runner.step(batch());
            assertEquals(List.of("out.weight", "out.bias"), List.copyOf(runner.parameters().keySet()));
            assertNotEquals(before, runner.parameters().get("out.weight"));
            assertTrue(runner.graph().model().getGraph().getInitializerList().stream()
                    .anyMatch(t -> t.getName().equals("in.weight")), "frozen parameters stay initializers");
        }
    }

    private static FloatTensor predict(OnnxModel model, Map<String, Object> batch) throws Exception {
        try (OrtSession s = OrtSessions.open(model.name(), model.toBytes(), SessionConfig.cpu(2));
                OnnxTensor x = OrtTensors.of((FloatTensor) batch.get("x"));
                OnnxTensor t = OrtTensors.of((FloatTensor) batch.get("t"));
                OnnxTensor label = OrtTensors.longs((long[]) batch.get("label"), B);
                OrtSession.Result r = s.run(Map.of("x", x, "t", t, "label", label))) {
            return OrtTensors.toFloatTensor((OnnxTensor) r.get("eps").orElseThrow());
        }
    }
}
