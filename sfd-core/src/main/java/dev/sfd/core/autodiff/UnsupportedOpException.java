package dev.sfd.core.autodiff;

/** Thrown when a node on the path from the parameters to the loss has no gradient rule. */
public final class UnsupportedOpException extends RuntimeException {

    private final String opType;
    private final String nodeName;

    public UnsupportedOpException(String opType, String nodeName, String detail) {
        super("cannot differentiate op " + opType + " (node '" + nodeName + "'): " + detail);
        this.opType = opType;
        this.nodeName = nodeName;
    }

    public String opType() {
        return opType;
    }

    public String nodeName() {
        return nodeName;
    }
}
