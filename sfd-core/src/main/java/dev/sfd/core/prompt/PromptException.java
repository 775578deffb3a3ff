package dev.sfd.core.prompt;

/**
 * A prompt that cannot be turned into a {@link PromptCondition}: too long, or naming two
 * different colours or two different shapes. The message quotes the prompt (shortened) and says
 * what to change; services put it as the dead-letter reason.
 */
public class PromptException extends IllegalArgumentException {

    public PromptException(String message) {
        super(message);
    }
}
