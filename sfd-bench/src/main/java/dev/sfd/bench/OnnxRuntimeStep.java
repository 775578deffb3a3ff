package dev.sfd.bench;

import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.ShapesTeacherNet;
import dev.sfd.core.teachers.TeacherMetadata;
import dev.sfd.core.teachers.TeacherPretrainer;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.training.AdamConfig;
import dev.sfd.core.training.LearningRateSchedule;
import dev.sfd.core.training.TrainingRunner;
import dev.sfd.core.training.WeightedL2Loss;
import java.util.Map;

/** Our engine: the shapes teacher's pretraining step (forward + loss + backward + Adam), as TeacherPretrainer runs it. */
final class OnnxRuntimeStep implements AutoCloseable {

    private final OnnxModel model;
    private final TrainingRunner runner;

    OnnxRuntimeStep(BenchConfig c) {
        model = ShapesTeacherNet.build(c.recipe());
        runner = TrainingRunner.builder(model, TeacherMetadata.EPS)
                .loss(new WeightedL2Loss(TeacherPretrainer.TARGET, TeacherPretrainer.WEIGHT, 4))
                .adam(AdamConfig.defaults())
                .schedule(LearningRateSchedule.constant(c.recipe().learningRate()))
                .session(SessionConfig.cpu(c.threads()))
                .build();
    }

    OnnxModel model() {
        return model;
    }

    float step(StepInputs in) {
        return runner.step(Map.of(TeacherMetadata.X, in.x(), TeacherMetadata.T, in.t(), TeacherMetadata.COND, in.cond(),
                TeacherPretrainer.TARGET, in.target(), TeacherPretrainer.WEIGHT, in.weight())).loss();
    }

    @Override
    public void close() {
        runner.close();
    }

    /** One batch of the benchmark, fed identically to both engines. */
    record StepInputs(FloatTensor x, FloatTensor t, long[] cond, FloatTensor target, FloatTensor weight) {
    }
}
