package dev.sfd.pipeline.trainer;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.TeacherInfo;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every trajectory block must match to be trained on: the teacher being distilled (its
 * sha256, field {@code teacher_sha256}), the shape of one sample and Γ(N) for each configured step
 * count N.
 *
 * @param timestamps N → t_N … t_0 (descending, message order)
 */
public record TrajectoryExpectation(String teacherId, String teacherSha256, long[] sampleShape,
                                    Map<Integer, double[]> timestamps) {

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
        Map<Integer, double[]> t = new TreeMap<>();
        config.stepCounts().forEach(n -> t.put(n, config.schedule().schedule().timestampsDescending(n)));
        return new TrajectoryExpectation(info.id(), info.sha256(), info.sampleShape(), t);
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
