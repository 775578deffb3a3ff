package dev.sfd.pipeline.teacher;

import dev.sfd.core.prompt.PromptException;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.teachers.imports.text2image.ConditionRef;
import dev.sfd.core.teachers.imports.text2image.PipelineTokenizer;
import dev.sfd.core.teachers.imports.text2image.PromptEncoder;
import java.util.Arrays;
import java.util.List;

/**
 * The free-text checks of a text-to-image teacher's prompt, by its own tokenizer: a record without
 * {@code prompt} ({@link PromptRequest#UNCONDITIONAL}) is the empty prompt {@code ""} (unconditional, the ∅
 * of classifier-free guidance); words the tokenizer only knows as its unknown token are refused, naming
 * them; a prompt longer than the tokenizer's max length is accepted and truncated as the text encoder
 * needs, and flagged. The length limit in characters is {@link PromptRequest}'s. The one copy of these
 * rules: the teacher stage checks prompt records with it, the sampler checks a Generate request's prompt.
 */
public final class TextPromptCheck {

    /** What a checked prompt becomes: the text to encode, its condition reference, whether it was cut. */
    public record Checked(String text, String conditionRef, boolean truncated) {
    }

    private final String teacherId;
    private final PromptEncoder encoder;

    public TextPromptCheck(String teacherId, PromptEncoder encoder) {
        this.teacherId = teacherId;
        this.encoder = encoder;
    }

    Checked check(String promptId, String prompt) {
        return checkText("prompt record '" + promptId + "'", prompt);
    }

    /**
     * Checks {@code prompt}; a refusal ({@link PromptException}) starts with {@code subject} (what the prompt
     * is, e.g. "prompt record 'p1'") and names the unknown words.
     */
    public Checked checkText(String subject, String prompt) {
        String text = PromptRequest.UNCONDITIONAL.equals(prompt.strip()) ? "" : prompt;
        PipelineTokenizer.Tokens tokens = encoder.tokens(text);
        if (tokens.unknown() > 0) {
            List<String> unknown = Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty())
                    .filter(w -> encoder.tokens(w).unknown() > 0).distinct().toList();
            throw new PromptException(subject + " has " + tokens.unknown() + " token(s) the "
                    + "tokenizer of teacher '" + teacherId + "' does not know (its unknown token): word(s) "
                    + (unknown.isEmpty() ? "(not separable)" : String.join(", ", unknown)) + " in \""
                    + shorten(text) + "\"; the text encoder would see [UNK] instead of them: rephrase with words "
                    + "in the tokenizer's vocabulary (tokenizer/ of the pipeline folder)");
        }
        return new Checked(text, ConditionRef.of(tokens.ids()), tokens.truncated());
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
