package dev.sfd.core.teachers.imports;

/** A foreign model cannot be imported as it is; the message names the flag that fixes it. */
public final class ImportException extends IllegalArgumentException {

    private final String flag;

    public ImportException(String flag, String message) {
        super(message + (flag == null ? "" : " (fix: " + flag + ")"));
        this.flag = flag;
    }

    /** The command-line flag that resolves the problem (null when none does). */
    public String flag() {
        return flag;
    }
}
