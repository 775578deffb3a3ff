package dev.sfd.pipeline.teacher;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.teachers.imports.text2image.PromptEncoder;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one {@link JobBatch} through the teacher: x_N from each sample's seed, then
 * {@code Solver(K)} between the student timestamps of Γ(N) (sfd-core's {@link TrajectoryGenerator}; with
 * {@code carryHistory} one pass over all intervals, as {@code sfd distill --carry-history}),
 * conditioned on each sample's label (∅ for an unconditional teacher), or on each row's prompt embedding
 * for a text-to-image teacher.
 */
public final class TeacherBatchRunner {

    private final TeacherInfo info;
    private final Schedule schedule;
    private final TrajectoryGenerator generator;
    private final Map<Integer, double[]> timestamps = new HashMap<>();
    private final PromptEncoder prompts; // null: labels (or nothing) condition the teacher

    public TeacherBatchRunner(NoiseModel teacher, TeacherInfo info, TeacherStageSettings settings) {
        this(teacher, info, settings, null);
    }

    /**
     * A runner of a text-to-image teacher when {@code prompts} is given: each batch row is conditioned on its
     * prompt's embedding (encoded once per distinct prompt by {@code prompts}), stacked [B, L, D]; the
     * teacher runs at ω = 1 (guidance is applied only when sampling the student).
     */
    public TeacherBatchRunner(NoiseModel teacher, TeacherInfo info, TeacherStageSettings settings,
                              PromptEncoder prompts) {
        this.prompts = prompts;
        this.info = info.requireComplete();
        this.schedule = settings.schedule().schedule();
        this.generator = new TrajectoryGenerator(teacher,
                new TeacherSolver(Solvers.byName(settings.solver()), schedule, settings.k()), settings.carryHistory());
    }

    public TeacherInfo info() {
        return info;
    }

    /** The student timestamps t_N > … > t_0 of Γ(N). */
    public double[] timestamps(int n) {
        return timestamps.computeIfAbsent(n, schedule::timestampsDescending).clone();
    }

    public TeacherTrajectory run(JobBatch batch) {
        return generator.generate(batch.seeds(), info.sampleShape(), timestamps(batch.stepCount()), condition(batch));
    }

    /** The condition of {@code batch}'s rows: prompt embeddings [B, L, D], class labels or none. */
    public Condition condition(JobBatch batch) {
        if (prompts != null) {
            return Condition.embedding(prompts.embeddings(batch.texts()));
        }
        return info.classes() > 0 ? Condition.labels(batch.labels()) : Condition.none();
    }
}
