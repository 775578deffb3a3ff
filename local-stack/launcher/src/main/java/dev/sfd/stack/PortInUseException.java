package dev.sfd.stack;

/** A server of the local stack cannot start because its port is taken. */
public class PortInUseException extends IllegalStateException {

    public PortInUseException(String message) {
        super(message);
    }
}
