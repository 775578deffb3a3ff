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
 * @param maxInFlightBlocks   blocks sent and not yet acknowledged by the broker, beyond which the
 *                            teacher waits ({@code sfd.teacher.max-in-flight-blocks})
 * @param dtype               tensor encoding of the blocks' points ({@code sfd.teacher.dtype})
 * @param blockSize           most trajectories in one block, B ({@code sfd.teacher.block-size})
 * @param blockMaxBytes       most bytes of one block: B is lowered until a block of the largest N fits
 *                            ({@code sfd.teacher.block-max-bytes}; keep it well under the broker's
 *                            {@code message.max.bytes}, 1 MiB by default)
 * @param carryHistory        one solver pass over all student intervals, multistep history carried
 *                            across them ({@code sfd.distill.carry-history}, as {@code sfd distill --carry-history})
 */
public record TeacherStageSettings(String solver, int k, ScheduleSpec schedule, List<Integer> stepCounts, boolean afs,
                                   int batchSize, Duration batchWait, int maxActivePrompts, int maxInFlightBlocks,
                                   TensorDtype dtype, int blockSize, int blockMaxBytes,
                                   boolean carryHistory) {

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
        require(maxInFlightBlocks >= 1, "sfd.teacher.max-in-flight-blocks must be >= 1, got " + maxInFlightBlocks);
        require(blockSize >= 1, "sfd.teacher.block-size must be >= 1, got " + blockSize);
        require(blockMaxBytes >= 4096, "sfd.teacher.block-max-bytes must be >= 4096, got " + blockMaxBytes
                + "; keep it well under the broker's message.max.bytes, e.g. 524288");
        if (dtype == null) {
            throw new IllegalArgumentException("sfd.teacher.dtype must be float32 or float16");
        }
    }

    /**
     * Defaults for {@code schedule}: dpm++2m, K = 8, N = 3, AFS, batch 256, wait 20 ms, 256 active prompts (so 256 one-sample prompts fill a batch),
     * 64 blocks in flight, float32, blocks of up to 256 trajectories and 512 KiB.
     */
    public static TeacherStageSettings defaults(ScheduleSpec schedule) {
        return new TeacherStageSettings("dpm++2m", 8, schedule, List.of(3), true, 256, Duration.ofMillis(20), 256,
                64, TensorDtype.FLOAT32, 256, 512 * 1024, false);
    }

    /**
     * B for samples of {@code sampleSize} floats and step count {@code maxN}: the block size, lowered
     * until a block fits in the byte budget (at least 1).
     */
    public int rowsPerBlock(int sampleSize, int maxN) {
        long perRow = (long) (maxN + 1) * sampleSize * dtype.bytes() + 16; // points + index, seed, label
        long header = 1024; // strings, shape and timestamps: generous
        return (int) Math.max(1, Math.min(blockSize, (blockMaxBytes - header) / perRow));
    }

    public TeacherStageSettings withStepCounts(List<Integer> n) {
        return new TeacherStageSettings(solver, k, schedule, n, afs, batchSize, batchWait, maxActivePrompts,
                maxInFlightBlocks, dtype, blockSize, blockMaxBytes, carryHistory);
    }

    public TeacherStageSettings withBatch(int size, Duration wait) {
        return new TeacherStageSettings(solver, k, schedule, stepCounts, afs, size, wait, maxActivePrompts,
                maxInFlightBlocks, dtype, blockSize, blockMaxBytes, carryHistory);
    }

    public TeacherStageSettings withLimits(int activePrompts, int inFlightBlocks) {
        return new TeacherStageSettings(solver, k, schedule, stepCounts, afs, batchSize, batchWait, activePrompts,
                inFlightBlocks, dtype, blockSize, blockMaxBytes, carryHistory);
    }

    public TeacherStageSettings withBlocks(int size, int maxBytes) {
        return new TeacherStageSettings(solver, k, schedule, stepCounts, afs, batchSize, batchWait, maxActivePrompts,
                maxInFlightBlocks, dtype, size, maxBytes, carryHistory);
    }

    public TeacherStageSettings withCarryHistory(boolean carry) {
        return new TeacherStageSettings(solver, k, schedule, stepCounts, afs, batchSize, batchWait, maxActivePrompts,
                maxInFlightBlocks, dtype, blockSize, blockMaxBytes, carry);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
