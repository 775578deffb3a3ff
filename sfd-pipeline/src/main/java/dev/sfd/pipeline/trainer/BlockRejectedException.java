package dev.sfd.pipeline.trainer;

/** A block that decoded (or not) but must not be trained on; {@link #code()} classifies it. */
public final class BlockRejectedException extends Exception {

    private final String code;

    public BlockRejectedException(String code, String reason) {
        super(reason);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
