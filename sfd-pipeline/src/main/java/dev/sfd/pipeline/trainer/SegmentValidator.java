package dev.sfd.pipeline.trainer;

import dev.sfd.core.trajectory.CorruptSegmentException;
import dev.sfd.core.trajectory.TrajectoryHeader;
import dev.sfd.core.trajectory.TrajectorySegment;
import dev.sfd.core.trajectory.TrajectorySegmentCodec;
import java.util.Arrays;

/**
 * Decodes a record into a {@link TrajectorySegment} and checks it against the
 * {@link TrajectoryExpectation}: everything the codec checks (magic, schema version, checksum,
 * dtype, shape against payload, finite values), then the record key, the step count N, the
 * timestamps against Γ(N), the point shape and, for the first segment, the teacher. Each failure
 * is a {@link SegmentRejectedException} whose code names the class and whose message names the
 * field, the bad value, the rule and the fix.
 */
public final class SegmentValidator {

    public static final String KEY_MISMATCH = "KEY_MISMATCH";
    public static final String UNKNOWN_STEP_COUNT = "UNKNOWN_STEP_COUNT";
    public static final String TIMESTAMP_MISMATCH = "TIMESTAMP_MISMATCH";
    public static final String SHAPE_MISMATCH = "SHAPE_MISMATCH";
    public static final String TEACHER_MISMATCH = "TEACHER_MISMATCH";

    private final TrajectoryExpectation expect;

    public SegmentValidator(TrajectoryExpectation expect) {
        this.expect = expect;
    }

    public TrajectorySegment validate(SegmentRecord record) throws SegmentRejectedException {
        TrajectorySegment s;
        try {
            s = TrajectorySegmentCodec.decode(record.value());
        } catch (CorruptSegmentException e) {
            throw new SegmentRejectedException(e.reason().name(), "corrupt trajectory segment: " + e.getMessage()
                    + "; the record was damaged or written by an incompatible producer: re-send it from a teacher "
                    + "writing schema " + TrajectorySegmentCodec.SCHEMA_VERSION);
        }
        String where = "trajectory " + s.trajectoryId() + " segment " + s.segmentIndex() + ": ";
        if (record.key() != null && !record.key().equals(s.trajectoryId())) {
            throw new SegmentRejectedException(KEY_MISMATCH, where + "record key '" + record.key()
                    + "' differs from the segment's trajectory id; rule: key = trajectory id (so all segments of a "
                    + "trajectory share a partition); fix the producer's key");
        }
        int n = s.steps();
        double[] gamma = expect.timestamps().get(n);
        if (gamma == null) {
            throw new SegmentRejectedException(UNKNOWN_STEP_COUNT, where + "step count N = " + n
                    + " is not one this trainer distils (sfd.distill.step-counts = " + expect.timestamps().keySet()
                    + "); produce trajectories with a configured N or add N to the trainer's step counts");
        }
        double expected = gamma[s.segmentIndex()];
        if (!TrajectoryExpectation.same(s.timestamp(), expected)) {
            throw new SegmentRejectedException(TIMESTAMP_MISMATCH, where + "timestamp t_" + s.step() + " = "
                    + s.timestamp() + " but the trainer's Γ(" + n + ") has t_" + s.step() + " = " + expected
                    + "; rule: segments follow the configured schedule (sfd.distill.schedule over the teacher's "
                    + "t_min..t_max); align the teacher's and the trainer's schedule settings");
        }
        long[] shape = expect.pointShape();
        if (!Arrays.equals(s.tensor().shape(), shape)) {
            throw new SegmentRejectedException(SHAPE_MISMATCH, where + "tensor shape " + s.tensor().shapeString()
                    + " but teacher " + expect.teacherId() + " produces one sample of shape " + Arrays.toString(shape)
                    + "; the trajectory comes from another model: send it to the trainer of that model");
        }
        TrajectoryHeader h = s.header();
        if (h != null) {
            for (int i = 0; i < gamma.length; i++) {
                if (!TrajectoryExpectation.same(h.timestamps().get(i), gamma[i])) {
                    throw new SegmentRejectedException(TIMESTAMP_MISMATCH, where + "header timestamps "
                            + h.timestamps() + " differ from the trainer's Γ(" + n + ") = " + Arrays.toString(gamma)
                            + " at position " + i + "; align the teacher's and the trainer's schedule settings");
                }
            }
            String sha = h.teacher().contains("@") ? h.teacher().substring(h.teacher().lastIndexOf('@') + 1)
                    : h.teacher();
            if (!sha.equals(expect.teacherSha256())) {
                throw new SegmentRejectedException(TEACHER_MISMATCH, where + "header field teacher = '" + h.teacher()
                        + "' but this trainer distils " + expect.teacherLabel() + "; rule: trajectories must come "
                        + "from the teacher being distilled (same sha256); point the teacher-service and the "
                        + "trainer at the same sfd.teacher.model");
            }
        }
        return s;
    }
}
