package dev.sfd.pipeline.trainer;

import dev.sfd.core.trajectory.CorruptBlockException;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import java.util.Arrays;

/**
 * Decodes a record into a {@link TrajectoryBlock} and checks it against the
 * {@link TrajectoryExpectation}: everything the codec checks (magic, schema version, checksum,
 * dtype, shape against the points, finite values, the teacher's sha256), then the record key, the
 * step count N, the timestamps against Γ(N) and the sample shape. Each failure is a
 * {@link BlockRejectedException} whose code names the class and whose message names the field, the
 * bad value, the rule and the fix. Stateless: safe on any thread.
 */
public final class BlockValidator {

    public static final String KEY_MISMATCH = "KEY_MISMATCH";
    public static final String UNKNOWN_STEP_COUNT = "UNKNOWN_STEP_COUNT";
    public static final String TIMESTAMP_MISMATCH = "TIMESTAMP_MISMATCH";
    public static final String SHAPE_MISMATCH = "SHAPE_MISMATCH";
    public static final String CONDITION_REF_MISMATCH = "CONDITION_REF_MISMATCH";

    private final TrajectoryExpectation expect;

    public BlockValidator(TrajectoryExpectation expect) {
        this.expect = expect;
    }

    /**
     * A text-to-image block's {@code condition_ref} must equal this trainer's own tokenization of its prompt
     * text ({@link dev.sfd.core.teachers.imports.text2image.ConditionRef}): the trainer re-encodes the text, so
     * a different tokenization would train the student on another condition than the teacher's.
     */
    private void requireConditionRef(TrajectoryBlock b, String where) throws BlockRejectedException {
        String mine = expect.prompts().conditionRef(b.prompt());
        if (b.conditionRef().isEmpty()) {
            throw new BlockRejectedException(CONDITION_REF_MISMATCH, where + "field condition_ref is empty, but teacher "
                    + expect.teacherId() + " is text-conditioned: its blocks must pin the tokenization of their prompt "
                    + "(this trainer's value for \"" + shorten(b.prompt()) + "\" is " + mine + "); re-send the prompt "
                    + "through a teacher-service running this pipeline");
        }
        if (!b.conditionRef().equals(mine)) {
            throw new BlockRejectedException(CONDITION_REF_MISMATCH, where + "field condition_ref is " + b.conditionRef()
                    + " but this trainer's tokenization of the prompt \"" + shorten(b.prompt()) + "\" gives " + mine
                    + "; rule: teacher and trainer tokenize with the same pipeline tokenizer; run both services on the "
                    + "same pipeline folder (sfd.teacher.model) and re-send the prompt");
        }
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    public TrajectoryBlock validate(TrajectoryRecord record) throws BlockRejectedException {
        TrajectoryBlock b;
        try {
            b = TrajectoryBlockCodec.decode(record.value(), expect.teacherSha256());
        } catch (CorruptBlockException e) {
            String fix = e.reason() == CorruptBlockException.Reason.TEACHER_MISMATCH ? ""
                    : "; the record was damaged or written by an incompatible producer: re-send it from a teacher "
                    + "writing schema " + TrajectoryBlockCodec.SCHEMA_VERSION;
            throw new BlockRejectedException(e.reason().name(), "trajectory block refused: " + e.getMessage() + fix);
        }
        String where = "block " + b.blockId() + ": ";
        if (record.key() != null && !record.key().equals(b.blockId())) {
            throw new BlockRejectedException(KEY_MISMATCH, where + "record key '" + record.key() + "' differs from the "
                    + "block id; rule: key = <prompt id>/N<N>/<first index>+<rows>; fix the producer's key");
        }
        int n = b.steps();
        double[] gamma = expect.timestamps().get(n);
        if (gamma == null) {
            throw new BlockRejectedException(UNKNOWN_STEP_COUNT, where + "field steps: N = " + n
                    + " is not one this trainer distils (sfd.distill.step-counts = " + expect.timestamps().keySet()
                    + "); produce trajectories with a configured N or add N to the trainer's step counts");
        }
        for (int i = 0; i < gamma.length; i++) {
            if (!TrajectoryExpectation.same(b.timestamps()[i], gamma[i])) {
                throw new BlockRejectedException(TIMESTAMP_MISMATCH, where + "field timestamps: "
                        + Arrays.toString(b.timestamps()) + " differ from the trainer's Γ(" + n + ") = "
                        + Arrays.toString(gamma) + " at position " + i + "; rule: blocks follow the configured "
                        + "schedule (sfd.distill.schedule over the teacher's t_min..t_max); align the teacher's and "
                        + "the trainer's schedule settings");
            }
        }
        if (!Arrays.equals(b.sampleShape(), expect.sampleShape())) {
            throw new BlockRejectedException(SHAPE_MISMATCH, where + "field sample_shape: "
                    + Arrays.toString(b.sampleShape()) + " but teacher " + expect.teacherId()
                    + " produces samples of shape " + Arrays.toString(expect.sampleShape())
                    + "; the block comes from another model: send it to the trainer of that model");
        }
        if (expect.prompts() != null) {
            requireConditionRef(b, where);
        }
        return b;
    }
}
