package dev.sfd.core.trajectory;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One record of topic {@code sfd.trajectories} (record contract v2): B complete teacher
 * trajectories of one prompt, one step count N and one teacher batch, with everything a student
 * trainer needs, stored once for the block.
 *
 * <p>Row r is the trajectory {@code <promptId>/<sampleIndex[r]>/<seed[r]>} (see
 * {@link #trajectoryId(int)}), its class label {@code label[r]} (−1 = ∅). The points are one
 * contiguous array in the order {@code [N+1][B][D]}: index {@code (i·B + r)·D + d} holds element d
 * of row r at message step i, where i = 0 is x_N (the initial noise at t_N) and i ≥ 1 is the
 * teacher point x̃_{N−i} at t_{N−i}; D is the product of {@code sampleShape}.
 *
 * @param teacherId     the teacher model's id (e.g. "mixture2d")
 * @param teacherSha256 the teacher model's SHA-256, 64 lower-case hex digits
 * @param solver        the teacher solver between student timestamps, e.g. "dpm++2m"
 * @param k             K, teacher sub-steps per student step (≥ 1)
 * @param schedule      the student time schedule family Γ, e.g. "edm"
 * @param timestamps    Γ(N): t_N, t_{N−1}, …, t_0 (N + 1 finite values, strictly decreasing, ≥ 0)
 * @param promptId      the prompt record the block was made for
 * @param prompt        its text ("" for unconditional)
 * @param conditionRef  a reference to the conditioning the teacher was run with beyond the label
 *                      (e.g. a text encoder's embedding key for text-to-image teachers); "" for none
 * @param sampleShape   the shape of one sample, without the batch dimension (e.g. [2] or [3, 16, 16])
 * @param sampleIndex   per row: the sample's index within its prompt
 * @param seed          per row: the seed of its x_N
 * @param label         per row: its class label, −1 for none
 * @param points        [N+1][B][D] as above, finite
 */
public record TrajectoryBlock(String teacherId, String teacherSha256, String solver, int k, String schedule,
                              double[] timestamps, String promptId, String prompt, String conditionRef,
                              long[] sampleShape, int[] sampleIndex, long[] seed, int[] label, float[] points) {

    /** Highest sample rank accepted. */
    public static final int MAX_RANK = 8;

    public TrajectoryBlock {
        requireText(teacherId, "teacher_id");
        Objects.requireNonNull(solver, "solver");
        Objects.requireNonNull(schedule, "schedule");
        requireText(promptId, "prompt_id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(conditionRef, "condition_ref");
        if (teacherSha256 == null || !teacherSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("teacher_sha256 must be 64 lower-case hex digits, got "
                    + (teacherSha256 == null ? "null" : "'" + teacherSha256 + "'"));
        }
        if (k < 1) {
            throw new IllegalArgumentException("k (teacher sub-steps) must be >= 1, got " + k);
        }
        timestamps = timestamps.clone();
        if (timestamps.length < 2) {
            throw new IllegalArgumentException("timestamps: need N + 1 >= 2 values t_N..t_0, got " + timestamps.length);
        }
        for (int i = 0; i < timestamps.length; i++) {
            if (!Double.isFinite(timestamps[i]) || timestamps[i] < 0 || (i > 0 && !(timestamps[i] < timestamps[i - 1]))) {
                throw new IllegalArgumentException("timestamps must be finite, >= 0 and strictly decreasing from t_N to "
                        + "t_0, got " + Arrays.toString(timestamps));
            }
        }
        sampleShape = sampleShape.clone();
        if (sampleShape.length < 1 || sampleShape.length > MAX_RANK) {
            throw new IllegalArgumentException("sample_shape: rank must be 1.." + MAX_RANK + ", got "
                    + sampleShape.length);
        }
        long d = 1;
        for (long s : sampleShape) {
            if (s < 1) {
                throw new IllegalArgumentException("sample_shape: dimensions must be >= 1, got "
                        + Arrays.toString(sampleShape));
            }
            d = Math.multiplyExact(d, s);
        }
        int b = sampleIndex.length;
        if (b < 1) {
            throw new IllegalArgumentException("a block needs at least one row (B >= 1)");
        }
        if (seed.length != b || label.length != b) {
            throw new IllegalArgumentException("per-row columns disagree: " + b + " sample indices, " + seed.length
                    + " seeds, " + label.length + " labels");
        }
        for (int i : sampleIndex) {
            if (i < 0) {
                throw new IllegalArgumentException("sample_index must be >= 0, got " + i);
            }
        }
        long expected = Math.multiplyExact(Math.multiplyExact((long) timestamps.length, b), d);
        if (points.length != expected) {
            throw new IllegalArgumentException("points: [N+1][B][D] = [" + timestamps.length + "][" + b + "][" + d
                    + "] needs " + expected + " floats, got " + points.length);
        }
    }

    /** B, the number of trajectories (rows). */
    public int rows() {
        return sampleIndex.length;
    }

    /** N, the number of student steps. */
    public int steps() {
        return timestamps.length - 1;
    }

    /** D, the number of floats in one sample. */
    public int sampleSize() {
        return points.length / (timestamps.length * sampleIndex.length);
    }

    /** The trajectory id of row {@code r}: {@code <prompt id>/<sample index>/<seed>}. */
    public String trajectoryId(int r) {
        return promptId + "/" + sampleIndex[r] + "/" + seed[r];
    }

    /** A name for the block in logs and Kafka keys: {@code <prompt id>/N<N>/<first sample index>+<B>}. */
    public String blockId() {
        return promptId + "/N" + steps() + "/" + sampleIndex[0] + "+" + rows();
    }

    /** Offset in {@link #points()} of row {@code r} at message step {@code i} (0 = x_N). */
    public int offset(int i, int r) {
        return (i * rows() + r) * sampleSize();
    }

    /** The teacher as trajectory headers used to name it: {@code <id>@<sha256>}. */
    public String teacherLabel() {
        return teacherId + "@" + teacherSha256;
    }

    /** The sha256 as 32 bytes. */
    byte[] teacherShaBytes() {
        return HexFormat.of().parseHex(teacherSha256);
    }

    // Arrays are copied in and never handed out mutable by the codec; records compare them by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof TrajectoryBlock t && teacherId.equals(t.teacherId) && teacherSha256.equals(t.teacherSha256)
                && solver.equals(t.solver) && k == t.k && schedule.equals(t.schedule)
                && Arrays.equals(timestamps, t.timestamps) && promptId.equals(t.promptId) && prompt.equals(t.prompt)
                && conditionRef.equals(t.conditionRef) && Arrays.equals(sampleShape, t.sampleShape)
                && Arrays.equals(sampleIndex, t.sampleIndex) && Arrays.equals(seed, t.seed)
                && Arrays.equals(label, t.label) && Arrays.equals(points, t.points);
    }

    @Override
    public int hashCode() {
        return Objects.hash(teacherSha256, promptId, Arrays.hashCode(sampleIndex), Arrays.hashCode(points));
    }

    @Override
    public String toString() {
        return "TrajectoryBlock[" + blockId() + ", teacher " + teacherLabel() + ", " + solver + " K=" + k + ", "
                + rows() + " rows of " + Arrays.toString(sampleShape) + "]";
    }

    private static void requireText(String s, String field) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(field + " must be non-blank, got " + (s == null ? "null" : "\"" + s + "\""));
        }
    }
}
