package dev.sfd.pipeline.teacher;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.distill.TeacherInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one {@link JobBatch} through the teacher: x_N from each sample's seed, then
 * {@code Solver(K)} between the student timestamps of Γ(N) (sfd-core's {@link TrajectoryGenerator}; with
 * {@code carryHistory} one pass over all intervals, as {@code sfd distill --carry-history}),
 * conditioned on each sample's label (∅ for an unconditional teacher).
 */
public final class TeacherBatchRunner {

    private final TeacherInfo info;
    private final Schedule schedule;
    private final TrajectoryGenerator generator;
    private final Map<Integer, double[]> timestamps = new HashMap<>();

    public TeacherBatchRunner(NoiseModel teacher, TeacherInfo info, TeacherStageSettings settings) {
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
        Condition condition = info.classes() > 0 ? Condition.labels(batch.labels()) : Condition.none();
        return generator.generate(batch.seeds(), info.sampleShape(), timestamps(batch.stepCount()), condition);
    }
}
