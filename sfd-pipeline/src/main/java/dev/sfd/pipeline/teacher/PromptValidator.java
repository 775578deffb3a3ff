package dev.sfd.pipeline.teacher;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.prompt.PromptException;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.teachers.imports.text2image.PromptEncoder;
import dev.sfd.pipeline.PromptLabeler;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every check a prompt record passes before the teacher runs, in order: a value is present, UTF-8,
 * JSON with only the known fields ({@link PromptRequest}: id, prompt length, count 1..4096, …),
 * meant for this teacher, words the teacher knows, a condition the data set can mean, and step
 * counts the trainer trains. Any failure is a {@link PromptException} whose message is the
 * dead-letter reason.
 *
 * <p>Teachers without a built-in vocabulary (external ONNX files): an unconditional teacher takes
 * any prompt text (recorded, condition ∅; a record without {@code prompt} reads as
 * {@link PromptRequest#UNCONDITIONAL}); a conditional one takes {@code "class <k>"}, k in 0..C−1.
 * Text-to-image teachers take free text ({@link TextPromptCheck}: words their tokenizer knows; too many
 * tokens are truncated and flagged).
 */
public final class PromptValidator {

    private static final Pattern CLASS_PROMPT = Pattern.compile("\\s*class\\s+(\\d{1,9})\\s*");

    private final TeacherInfo teacher;
    private final List<Integer> trainedStepCounts;
    private final Optional<PromptVocabulary> vocabulary;
    private final PromptLabeler labeler;
    private final TextPromptCheck text; // null: not a text-to-image teacher

    public PromptValidator(TeacherInfo teacher, List<Integer> trainedStepCounts) {
        this(teacher, trainedStepCounts, null);
    }

    /**
     * The validator of a text-to-image teacher when {@code prompts} (its tokenizer and text encoder) is
     * given: a prompt is free text checked by {@link TextPromptCheck}, the label is ∅.
     */
    public PromptValidator(TeacherInfo teacher, List<Integer> trainedStepCounts, PromptEncoder prompts) {
        this.teacher = teacher;
        this.trainedStepCounts = List.copyOf(trainedStepCounts);
        this.vocabulary = prompts != null ? Optional.empty() : PromptVocabulary.forDataset(teacher.dataset());
        this.text = prompts == null ? null : new TextPromptCheck(teacher.id(), prompts);
        this.labeler = text != null ? p -> Condition.NULL_LABEL
                : vocabulary.isPresent() ? PromptLabeler.forDataset(teacher.dataset()) : this::externalLabel;
    }

    /** Checks a raw record value. */
    public ValidatedPrompt validate(byte[] value) {
        if (value == null) {
            throw new PromptException("prompt record has no value (a tombstone): send a JSON object {id, prompt,"
                    + " count, ...}");
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new PromptException("prompt record is not valid UTF-8 (" + value.length + " bytes): encode the JSON"
                    + " as UTF-8");
        }
        return validate(PromptRequest.fromJson(json));
    }

    /** Checks a parsed record against this teacher and the trained step counts. */
    public ValidatedPrompt validate(PromptRequest request) {
        String where = "prompt record '" + request.id() + "'";
        if (request.teacher() != null && !request.teacher().equals(teacher.id())
                && !request.teacher().equals(teacher.dataset())) {
            throw new PromptException(where + " is for teacher '" + request.teacher() + "', but this service runs"
                    + " teacher '" + teacher.id() + "': send it to a deployment of that teacher, or leave out"
                    + " 'teacher'");
        }
        vocabulary.ifPresent(v -> v.requireKnown(request.id(), request.prompt()));
        int label;
        try {
            label = labeler.label(request.prompt());
        } catch (PromptException e) {
            throw new PromptException(where + ": " + e.getMessage());
        }
        List<Integer> steps = request.stepCounts() == null ? trainedStepCounts : request.stepCounts();
        for (int n : steps) {
            if (!trainedStepCounts.contains(n)) {
                throw new PromptException(where + " asks for step count N = " + n + ", which the trainer does not"
                        + " train (trained: " + trainedStepCounts + "): use a subset of " + trainedStepCounts
                        + " or leave out 'stepCounts'");
            }
        }
        long firstSeed = request.seed() != null ? request.seed() : PromptSeeds.fromId(request.id());
        if (text != null) {
            TextPromptCheck.Checked c = text.check(request.id(), request.prompt());
            return new ValidatedPrompt(request, label, steps, firstSeed, c.text(), c.conditionRef(), c.truncated());
        }
        return new ValidatedPrompt(request, label, steps, firstSeed);
    }

    private int externalLabel(String prompt) {
        if (teacher.classes() <= 0) {
            return Condition.NULL_LABEL;
        }
        Matcher m = CLASS_PROMPT.matcher(prompt);
        if (m.matches()) {
            int k = Integer.parseInt(m.group(1));
            if (k < teacher.classes()) {
                return k;
            }
        }
        if (PromptRequest.UNCONDITIONAL.equals(prompt.strip())) {
            throw new PromptException("teacher '" + teacher.id() + "' is conditional (" + teacher.classes()
                    + " classes) and makes no unconditional samples: write \"class <k>\" with k in 0.."
                    + (teacher.classes() - 1));
        }
        throw new PromptException("teacher '" + teacher.id() + "' has no prompt vocabulary: write \"class <k>\" with k"
                + " in 0.." + (teacher.classes() - 1) + ", got \"" + (prompt.length() > 60 ? prompt.substring(0, 60)
                + "…" : prompt) + "\"");
    }
}
