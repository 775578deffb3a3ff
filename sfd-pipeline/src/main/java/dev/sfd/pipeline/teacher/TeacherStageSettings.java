package dev.sfd.pipeline.teacher;

import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.trajectory.TensorDtype;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * Settings of the teacher stage. Each is a configuration property of teacher-service (named in the
 * error messages).
 *
 * @param solver              teacher solver name ({@code sfd.distill.solver})
 * @param k                   teacher sub-steps per student step ({@code sfd.distill.k})
 * @param schedule            Γ(N) family and range (polynomial on the teacher's t_min, t_max)
 * @param stepCounts          the student step counts N the trainer trains ({@code sfd.distill.step-counts})
 * @param afs                 analytical first step ({@code sfd.distill.afs}): then N must be >= 2
 * @param batchSize           most samples in one teacher call ({@code sfd.teacher.batch-size})
 * @param batchWait           how long a partial batch waits for more prompts ({@code sfd.teacher.batch-wait})
 * @param maxActivePrompts    prompts held in memory at once, beyond which intake waits
 *                            ({@code sfd.teacher.max-active-prompts})
 * @param maxInFlightSegments segments sent and not yet acknowledged by the broker, beyond which the
 *                            teacher waits ({@code sfd.teacher.max-in-flight-segments})
 * @param dtype               tensor encoding of the segments ({@code sfd.teacher.dtype})
 */
public record TeacherStageSettings(String solver, int k, ScheduleSpec schedule, List<Integer> stepCounts, boolean afs,
                                   int batchSize, Duration batchWait, int maxActivePrompts, int maxInFlightSegments,
                                   TensorDtype dtype) {

    public TeacherStageSettings {
        try {
            Solvers.byName(solver);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sfd.distill.solver: " + e.getMessage(), e);
        }
        require(k >= 1, "sfd.distill.k must be >= 1, got " + k);
        if (schedule == null) {
            throw new IllegalArgumentException("teacher stage needs a schedule");
        }
        if (stepCounts == null || stepCounts.isEmpty()) {
            throw new IllegalArgumentException("sfd.distill.step-counts is empty: give at least one N, e.g. 3");
        }
        stepCounts = List.copyOf(new TreeSet<>(stepCounts));
        for (int n : stepCounts) {
            require(n >= (afs ? 2 : 1), "sfd.distill.step-counts has N = " + n + "; need N >= " + (afs ? 2 : 1)
                    + (afs ? " with AFS (sfd.distill.afs=true: the first step is analytic, N = 1 trains nothing)" : ""));
        }
        require(batchSize >= 1, "sfd.teacher.batch-size must be >= 1, got " + batchSize);
        require(batchWait != null && !batchWait.isNegative(), "sfd.teacher.batch-wait must be >= 0, got " + batchWait);
        require(maxActivePrompts >= 1, "sfd.teacher.max-active-prompts must be >= 1, got " + maxActivePrompts);
        require(maxInFlightSegments >= 1, "sfd.teacher.max-in-flight-segments must be >= 1, got "
                + maxInFlightSegments);
        if (dtype == null) {
            throw new IllegalArgumentException("sfd.teacher.dtype must be float32 or float16");
        }
    }

    /** Defaults for {@code schedule}: dpm++2m, K = 8, N = 3, AFS, batch 256, wait 20 ms, float32. */
    public static TeacherStageSettings defaults(ScheduleSpec schedule) {
        return new TeacherStageSettings("dpm++2m", 8, schedule, List.of(3), true, 256, Duration.ofMillis(20), 16,
                4096, TensorDtype.FLOAT32);
    }

    public TeacherStageSettings withStepCounts(List<Integer> n) {
        return new TeacherStageSettings(solver, k, schedule, n, afs, batchSize, batchWait, maxActivePrompts,
                maxInFlightSegments, dtype);
    }

    public TeacherStageSettings withBatch(int size, Duration wait) {
        return new TeacherStageSettings(solver, k, schedule, stepCounts, afs, size, wait, maxActivePrompts,
                maxInFlightSegments, dtype);
    }

    public TeacherStageSettings withLimits(int activePrompts, int inFlightSegments) {
        return new TeacherStageSettings(solver, k, schedule, stepCounts, afs, batchSize, batchWait, activePrompts,
                inFlightSegments, dtype);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
