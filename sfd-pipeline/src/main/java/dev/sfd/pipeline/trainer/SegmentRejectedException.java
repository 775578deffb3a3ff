package dev.sfd.pipeline.trainer;

/** A segment that decoded (or not) but must not be trained on; {@link #code()} classifies it. */
public final class SegmentRejectedException extends Exception {

    private final String code;

    public SegmentRejectedException(String code, String reason) {
        super(reason);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
