package dev.sfd.bench;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sfd.bench.OnnxRuntimeStep.StepInputs;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.teachers.ShapesTeacherNet;
import dev.sfd.core.teachers.TeacherPretrainer;
import dev.sfd.core.training.TrainingGraph;
import dev.sfd.core.training.WeightedL2Loss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Development tool: runs the ONNX Runtime part of the benchmark's training step (the gradient
 * graph TrainingRunner runs: forward + loss + backward; Adam runs in Java afterwards) with ONNX
 * Runtime's profiler on, writes the profile JSON and the optimised graph to a directory
 * (argument 1, default /tmp), and prints node counts per op type. Argument 2: steps to profile
 * (default 10). {@code -Dort.config=key=value|...} adds session config entries.
 */
public final class TrainingStepProfile {

    private TrainingStepProfile() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Files.createDirectories(dir);
        BenchConfig c = BenchConfig.standard();
        OnnxModel model = ShapesTeacherNet.build(c.recipe());
        TrainingGraph tg = TrainingGraph.gradients(model, "eps", new WeightedL2Loss(TeacherPretrainer.TARGET, TeacherPretrainer.WEIGHT, 4),
                null, List.of());
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeProto n : tg.model().getGraph().getNodeList()) {
            counts.merge(n.getOpType(), 1, Integer::sum);
        }
        System.out.println("training graph nodes: " + tg.model().getGraph().getNodeCount() + " " + counts);
        Files.write(dir.resolve("training.onnx"), tg.model().toByteArray());

        try (OrtSession.SessionOptions o = OrtSessions.options(SessionConfig.cpu(c.threads()))) {
            for (var e : OrtSessions.NO_SPINNING.entrySet()) {
                o.addConfigEntry(e.getKey(), e.getValue()); // as TrainingRunner
            }
            o.setOptimizedModelFilePath(dir.resolve("training.opt.onnx").toString());
            o.enableProfiling(dir.resolve("ort-profile").toString());
            // extra session config entries for experiments: -Dort.config=key=value|key=value
            for (String kv : System.getProperty("ort.config", "").split("\\|")) {
                if (!kv.isBlank()) {
                    o.addConfigEntry(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
            try (OrtSession s = OrtSessions.environment().createSession(tg.model().toByteArray(), o)) {
                Map<String, OnnxTensor> feed = new HashMap<>();
                Map<String, TensorProto> values = model.parameters();
                tg.parameters().forEach((p, dims) -> feed.put(p, OrtTensors.of(Tensors.toFloats(values.get(p)), dims)));
                StepInputs in = TrainingStepBench.inputs(c);
                feed.put("x", OrtTensors.of(in.x()));
                feed.put("t", OrtTensors.of(in.t()));
                feed.put("cond", OrtTensors.longs(in.cond(), in.cond().length));
                feed.put(TeacherPretrainer.TARGET, OrtTensors.of(in.target()));
                feed.put(TeacherPretrainer.WEIGHT, OrtTensors.of(in.weight()));
                long total = 0;
                for (int i = 1; i <= steps; i++) {
                    long a = System.nanoTime();
                    s.run(feed).close();
                    total += i > 2 ? System.nanoTime() - a : 0;
                }
                System.out.printf("mean run() over steps 3..%d: %.1f ms%n", steps, total / 1e6 / (steps - 2));
                System.out.println("profile: " + s.endProfiling());
            }
        }
    }
}
