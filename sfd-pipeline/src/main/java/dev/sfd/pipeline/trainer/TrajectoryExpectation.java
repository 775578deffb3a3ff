package dev.sfd.pipeline.trainer;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.teachers.imports.text2image.PromptTable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every trajectory block must match to be trained on: the teacher being distilled (its
 * sha256, field {@code teacher_sha256}), the shape of one sample and Γ(N) for each configured step
 * count N; for a text-to-image teacher also each block's {@code condition_ref}, recomputed from its
 * prompt text by this trainer's own tokenizer ({@code prompts}).
 *
 * @param timestamps N → t_N … t_0 (descending, message order)
 * @param prompts    the trainer's prompt table of a text-to-image teacher (its tokenizer and text
 *                   encoder), or null for label-conditioned and unconditional teachers
 */
public record TrajectoryExpectation(String teacherId, String teacherSha256, long[] sampleShape,
                                    Map<Integer, double[]> timestamps, PromptTable prompts) {

    /** Relative tolerance when comparing a block's t_n with Γ(N). */
    public static final double TIMESTAMP_TOLERANCE = 1e-9;

    public TrajectoryExpectation {
        sampleShape = sampleShape.clone();
        Map<Integer, double[]> copy = new TreeMap<>();
        timestamps.forEach((n, t) -> copy.put(n, t.clone()));
        timestamps = copy;
    }

    /** The expectation of a trainer distilling {@code info} with {@code config}. */
    public static TrajectoryExpectation of(TeacherInfo info, SfdConfig config) {
        return of(info, config, null);
    }

    /** As {@link #of(TeacherInfo, SfdConfig)} for a text-to-image teacher whose prompts {@code prompts} encodes. */
    public static TrajectoryExpectation of(TeacherInfo info, SfdConfig config, PromptTable prompts) {
        Map<Integer, double[]> t = new TreeMap<>();
        config.stepCounts().forEach(n -> t.put(n, config.schedule().schedule().timestampsDescending(n)));
        return new TrajectoryExpectation(info.id(), info.sha256(), info.sampleShape(), t, prompts);
    }

    /** The teacher as manifests name it: {@code <id>@<sha256>}. */
    public String teacherLabel() {
        return teacherId + "@" + teacherSha256;
    }

    @Override
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    static boolean same(double got, double expected) {
        return Math.abs(got - expected) <= TIMESTAMP_TOLERANCE * Math.max(1, Math.abs(expected));
    }

    @Override
    public String toString() {
        return "teacher " + teacherLabel() + ", sample shape " + Arrays.toString(sampleShape) + ", N in "
                + timestamps.keySet();
    }
}
