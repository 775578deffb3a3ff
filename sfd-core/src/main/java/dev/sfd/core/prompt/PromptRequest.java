package dev.sfd.core.prompt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.List;
import java.util.TreeSet;

/**
 * A record of topic {@code sfd.prompts} (schema v1), JSON
 * {@code {id, prompt, count, seed?, stepCounts?, teacher?}}, key = id: "make {@code count} teacher
 * trajectories for {@code prompt}", seeds {@code seed, seed+1, …} when a seed is given (derived from
 * the id otherwise), student step counts N from {@code stepCounts} when given (the service's
 * configured set otherwise), for the teacher named {@code teacher} when given (any otherwise).
 * This class checks the record's structure; what the prompt text means is the data set's business
 * (e.g. {@code ShapesLabels}), and whether the step counts are trained is the service's.
 *
 * @param id         the request id, 1..{@value #MAX_ID_CHARS} characters, not blank
 * @param prompt     what to generate, 1..{@value #MAX_PROMPT_CHARS} characters, not blank; a record without
 *                   {@code "prompt"} reads as {@value #UNCONDITIONAL} (an unconditional sample)
 * @param count      trajectories to make, 1..{@value #MAX_COUNT}
 * @param seed       seed of sample 0 (sample i uses {@code seed + i}); null = derived from the id
 * @param stepCounts student step counts N to make trajectories for (a subset of the trained set);
 *                   null = the service's configured set
 * @param teacher    the teacher the request is meant for (its id, e.g. "shapes"); null = any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptRequest(String id, String prompt, int count, Long seed, List<Integer> stepCounts,
                            String teacher) {

    /** Largest {@code count} one record may ask for. */
    public static final int MAX_COUNT = 4096;
    /** Longest id, in characters (trajectory ids add the sample index and seed). */
    public static final int MAX_ID_CHARS = 200;
    /** Longest prompt, in characters. */
    public static final int MAX_PROMPT_CHARS = 200;
    /** Largest step count N a record may name. */
    public static final int MAX_STEP_COUNT = 1000;
    /**
     * The prompt of a record without {@code "prompt"}: an unconditional sample. Every built-in
     * vocabulary reads it as a filler word (condition ∅), an imported teacher without classes takes any
     * text as unconditional.
     */
    public static final String UNCONDITIONAL = "unconditional";
    /** The JSON fields, in order. */
    public static final List<String> FIELDS = List.of("id", "prompt", "count", "seed", "stepCounts", "teacher");

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);

    static {
        // no silent type changes: "count": "3", "count": 1.5, "id": 7 are wrong types, not values
        for (LogicalType t : List.of(
                LogicalType.Textual,
                LogicalType.Integer)) {
            for (CoercionInputShape shape : List.of(
                    CoercionInputShape.Integer,
                    CoercionInputShape.Float,
                    CoercionInputShape.Boolean,
                    CoercionInputShape.String)) {
                boolean same = t == LogicalType.Textual
                        ? shape == CoercionInputShape.String
                        : shape == CoercionInputShape.Integer;
                if (!same) {
                    JSON.coercionConfigFor(t).setCoercion(shape, CoercionAction.Fail);
                }
            }
        }
    }

    /** The wire form, with every field optional so that a missing one gets its own reason. */
    record Raw(String id, String prompt, Integer count, Long seed, List<Integer> stepCounts, String teacher) {
    }

    /** A request without step counts or teacher (schema v1 as before). */
    public PromptRequest(String id, String prompt, int count, Long seed) {
        this(id, prompt, count, seed, null, null);
    }

    /** Checks the fields; the message is the dead-letter reason for a bad record. */
    public PromptRequest {
        if (id == null || id.isBlank()) {
            throw new PromptException("prompt record has no id: add a non-blank \"id\" (it is the Kafka key and names"
                    + " the trajectories)");
        }
        if (id.length() > MAX_ID_CHARS) {
            throw new PromptException("prompt record id is " + id.length() + " characters long; the limit is "
                    + MAX_ID_CHARS + ": use a shorter id");
        }
        String where = "prompt record '" + id + "'";
        if (prompt == null) {
            throw new PromptException(where + " has no prompt (null): pass PromptRequest.UNCONDITIONAL for an"
                    + " unconditional sample (a record without \"prompt\" reads as \"" + UNCONDITIONAL + "\")");
        }
        if (prompt.isBlank()) {
            throw new PromptException(where + " has an empty prompt: write what to generate in words the teacher"
                    + " knows (e.g. \"north\" for mixture2d, \"a red circle\" for shapes, \"class 3\" for an imported"
                    + " conditional teacher), or, for an unconditional sample (the only kind an imported teacher"
                    + " without classes makes), leave \"prompt\" out or send \"" + UNCONDITIONAL + "\"");
        }
        if (prompt.length() > MAX_PROMPT_CHARS) {
            throw new PromptException(where + " has a prompt of " + prompt.length() + " characters; the limit is "
                    + MAX_PROMPT_CHARS + ": shorten it");
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new PromptException(where + " asks for count " + count + "; allowed 1.." + MAX_COUNT
                    + " (split larger requests into several records)");
        }
        if (seed != null && seed > Long.MAX_VALUE - (count - 1)) {
            throw new PromptException(where + " has seed " + seed + ": the seeds seed..seed+count-1 overflow a 64-bit"
                    + " integer; use a seed <= " + (Long.MAX_VALUE - (count - 1)));
        }
        if (stepCounts != null) {
            if (stepCounts.isEmpty()) {
                throw new PromptException(where + " has an empty stepCounts list: name at least one N, or leave"
                        + " the field out for the configured set");
            }
            for (Integer n : stepCounts) {
                if (n == null || n < 1 || n > MAX_STEP_COUNT) {
                    throw new PromptException(where + " has step count " + n + " in stepCounts; each must be in 1.."
                            + MAX_STEP_COUNT);
                }
            }
            stepCounts = List.copyOf(new TreeSet<>(stepCounts));
        }
        if (teacher != null && teacher.isBlank()) {
            throw new PromptException(where + " has a blank teacher: name the teacher (e.g. \"shapes\") or leave"
                    + " the field out");
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write prompt record " + id, e);
        }
    }

    /** Parses and validates a record; any problem is a {@link PromptException} with the reason. */
    public static PromptRequest fromJson(String json) {
        if (json == null || json.isBlank()) {
            throw new PromptException("prompt record is empty: send a JSON object {id, prompt, count, seed?,"
                    + " stepCounts?, teacher?}");
        }
        Raw raw;
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree != null && !tree.isObject() && !tree.isNull()) {
                throw new PromptException("prompt record is a JSON " + kind(tree) + ", expected a JSON object {id,"
                        + " prompt, count, seed?, stepCounts?, teacher?}: send one object per record (an array of"
                        + " prompts is several records)");
            }
            raw = tree == null || tree.isNull() ? null : JSON.treeToValue(tree, Raw.class);
        } catch (UnrecognizedPropertyException e) {
            throw new PromptException("prompt record has unknown field '" + e.getPropertyName() + "'; allowed fields: "
                    + String.join(", ", FIELDS) + " (remove it or fix its spelling)");
        } catch (JsonProcessingException e) {
            String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                    && m.getPath().get(0).getFieldName() != null ? " (field '" + m.getPath().get(0).getFieldName()
                    + "' has the wrong type: id, prompt and teacher are strings; count, seed and stepCounts integers)"
                    : "";
            throw new PromptException("prompt record is not valid JSON {id, prompt, count, seed?, stepCounts?,"
                    + " teacher?}: " + e.getOriginalMessage() + field);
        }
        if (raw == null) {
            throw new PromptException("prompt record is JSON null: send a JSON object {id, prompt, count, ...}");
        }
        String prompt = raw.prompt() == null ? UNCONDITIONAL : raw.prompt();
        if (raw.count() == null) {
            new PromptRequest(raw.id(), prompt, 1, null, raw.stepCounts(), raw.teacher()); // other reasons first
            throw new PromptException("prompt record '" + raw.id() + "' has no count: add \"count\" (1.." + MAX_COUNT
                    + ")");
        }
        return new PromptRequest(raw.id(), prompt, raw.count(), raw.seed(), raw.stepCounts(), raw.teacher());
    }
}
