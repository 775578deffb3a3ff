package dev.sfd.core.prompt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A record of topic {@code sfd.prompts} (schema v1), JSON {@code {id, prompt, count, seed?}}, key = id:
 * "make {@code count} teacher trajectories for {@code prompt}", seeds {@code seed, seed+1, …} when a
 * seed is given (the teacher picks and records one otherwise). This class checks the record's
 * structure; what the prompt text means is the data set's business (e.g. {@code ShapesLabels}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptRequest(String id, String prompt, int count, Long seed) {

    /** Largest {@code count} one record may ask for. */
    public static final int MAX_COUNT = 4096;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /** Checks the fields; the message is the dead-letter reason for a bad record. */
    public PromptRequest {
        if (id == null || id.isBlank()) {
            throw new PromptException("prompt record has no id");
        }
        if (prompt == null) {
            throw new PromptException("prompt record '" + id + "' has no prompt (use \"\" for unconditional)");
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new PromptException("prompt record '" + id + "' asks for count " + count + "; allowed 1.."
                    + MAX_COUNT);
        }
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
            throw new PromptException("prompt record is empty");
        }
        try {
            PromptRequest request = JSON.readValue(json, PromptRequest.class);
            if (request == null) {
                throw new PromptException("prompt record is JSON null");
            }
            return request;
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PromptException p) {
                throw p;
            }
            throw new PromptException("prompt record is not valid JSON {id, prompt, count, seed?}: "
                    + e.getOriginalMessage());
        }
    }
}
