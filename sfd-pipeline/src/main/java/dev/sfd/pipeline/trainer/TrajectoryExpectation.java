package dev.sfd.pipeline.trainer;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.TeacherInfo;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every trajectory segment must match to be trained on: the teacher being distilled (its
 * sha256; the header's {@code teacher} field is {@code <id>@<sha256>}), the shape of one sample
 * and Γ(N) for each configured step count N.
 *
 * @param timestamps N → t_N … t_0 (descending, message order)
 */
public record TrajectoryExpectation(String teacherId, String teacherSha256, long[] sampleShape,
                                    Map<Integer, double[]> timestamps) {

    /** Relative tolerance when comparing a segment's t_n with Γ(N). */
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

    /** The header value a teacher of this trainer writes. */
    public String teacherLabel() {
        return teacherId + "@" + teacherSha256;
    }

    /** The shape of one point of a trajectory segment: [1, sample shape...]. */
    public long[] pointShape() {
        long[] s = new long[sampleShape.length + 1];
        s[0] = 1;
        System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
        return s;
    }

    static boolean same(double got, double expected) {
        return Math.abs(got - expected) <= TIMESTAMP_TOLERANCE * Math.max(1, Math.abs(expected));
    }

    @Override
    public String toString() {
        return "teacher " + teacherLabel() + ", point shape " + Arrays.toString(pointShape()) + ", N in "
                + timestamps.keySet();
    }
}
