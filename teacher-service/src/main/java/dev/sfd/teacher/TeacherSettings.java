package dev.sfd.teacher;

import dev.sfd.core.distill.DistillRecipe;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.pipeline.PipelineTeacher;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.core.onnx.ExecutionProvider;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.trajectory.TensorDtype;
import dev.sfd.pipeline.teacher.TeacherStageSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The service's settings (application.properties; environment variables override). */
@ApplicationScoped
public class TeacherSettings {

    @ConfigProperty(name = "sfd.teacher.model")
    String model;
    // solver, K and carry-history default to the recipe `sfd distill` uses for the teacher (DistillRecipe)
    @ConfigProperty(name = "sfd.distill.solver")
    java.util.Optional<String> solver;
    @ConfigProperty(name = "sfd.distill.k")
    java.util.Optional<Integer> k;
    @ConfigProperty(name = "sfd.distill.carry-history")
    java.util.Optional<Boolean> carryHistory;
    @ConfigProperty(name = "sfd.distill.step-counts")
    List<Integer> stepCounts;
    @ConfigProperty(name = "sfd.distill.afs")
    boolean afs;
    @ConfigProperty(name = "sfd.execution-provider")
    String executionProvider;
    @ConfigProperty(name = "sfd.threads")
    int threads;
    @ConfigProperty(name = "sfd.cuda-device", defaultValue = "0")
    int cudaDevice;
    @ConfigProperty(name = "sfd.teacher.batch-size")
    int batchSize;
    @ConfigProperty(name = "sfd.teacher.batch-wait")
    Duration batchWait;
    @ConfigProperty(name = "sfd.teacher.max-active-prompts")
    int maxActivePrompts;
    @ConfigProperty(name = "sfd.teacher.max-in-flight-blocks")
    int maxInFlightBlocks;
    @ConfigProperty(name = "sfd.teacher.block-size")
    int blockSize;
    @ConfigProperty(name = "sfd.teacher.block-max-bytes")
    int blockMaxBytes;
    @ConfigProperty(name = "sfd.teacher.dtype")
    String dtype;
    @ConfigProperty(name = "sfd.teacher.shutdown-timeout")
    Duration shutdownTimeout;
    @ConfigProperty(name = "sfd.topic.trajectories")
    String trajectoriesTopic;
    @ConfigProperty(name = "sfd.topic.prompts-dlq")
    String promptsDlqTopic;

    public String model() {
        return model;
    }

    public SessionConfig session() {
        if (threads < 1) {
            throw new IllegalArgumentException("sfd.threads must be >= 1, got " + threads);
        }
        return new SessionConfig(ExecutionProvider.parse(executionProvider), threads, cudaDevice);
    }

    public TeacherStageSettings stage(double tMin, double tMax) {
        TensorDtype d = switch (dtype.trim().toLowerCase(Locale.ROOT)) {
            case "float32" -> TensorDtype.FLOAT32;
            case "float16" -> TensorDtype.FLOAT16;
            default -> throw new IllegalArgumentException("sfd.teacher.dtype is '" + dtype + "': use float32 or float16");
        };
        DistillRecipe recipe = PipelineTeacher.applies(model) ? DistillRecipe.TEXT_TO_IMAGE
                : DistillRecipe.forTeacher(TeacherSource.BUILTIN.contains(model) ? model : "");
        return new TeacherStageSettings(solver.orElse(recipe.solver()), k.orElse(recipe.k()),
                ScheduleSpec.polynomial(tMin, tMax), stepCounts, afs, batchSize, batchWait, maxActivePrompts,
                maxInFlightBlocks, d, blockSize, blockMaxBytes, carryHistory.orElse(recipe.carryHistory()));
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public String trajectoriesTopic() {
        return trajectoriesTopic;
    }

    public String promptsDlqTopic() {
        return promptsDlqTopic;
    }
}
