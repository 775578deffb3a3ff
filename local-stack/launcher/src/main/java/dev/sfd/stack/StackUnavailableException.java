package dev.sfd.stack;

/** A server of the local stack is down, not ready, or refused us; the message says which and where. */
public class StackUnavailableException extends IllegalStateException {

    public StackUnavailableException(String message) {
        super(message);
    }

    public StackUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
