package dev.sfd.core.trajectory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON form of a {@link TrajectoryHeader} (Jackson, field names = record component names). Unknown
 * fields are ignored, so optional fields can be added within schema version 1; missing fields
 * are an error.
 */
public final class TrajectoryHeaderJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private TrajectoryHeaderJson() {
    }

    public static String toJson(TrajectoryHeader header) {
        try {
            return MAPPER.writeValueAsString(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write trajectory header as JSON: " + header, e);
        }
    }

    /** Parses header JSON; throws {@link IllegalArgumentException} naming the problem. */
    public static TrajectoryHeader fromJson(String json) {
        try {
            return MAPPER.readValue(json, TrajectoryHeader.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("invalid trajectory header JSON: " + cause.getMessage(), e);
        }
    }
}
