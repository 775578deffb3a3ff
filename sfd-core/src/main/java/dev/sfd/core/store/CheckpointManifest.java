package dev.sfd.core.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * What a student checkpoint is (schema v1): written as {@code manifest.json} next to
 * {@code student.onnx} in the object store, and sent as the {@code sfd.checkpoints} event (key =
 * student name). {@code sha256} and {@code bytes} describe {@code student.onnx}; a reader refuses
 * a file that does not match them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointManifest(int schemaVersion, String student, long version, String objectKey, String sha256,
                                 long bytes, long step, List<Integer> stepCounts, String schedule, String teacher,
                                 Map<String, Double> metrics, String createdAt) {

    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public CheckpointManifest {
        if (student == null || !student.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("student name '" + student
                    + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        if (version < 1) {
            throw new IllegalArgumentException("checkpoint version must be >= 1, got " + version);
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("checkpoint sha256 must be 64 lower-case hex digits, got " + sha256);
        }
        stepCounts = stepCounts == null ? List.of() : List.copyOf(stepCounts);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write manifest of " + student + " v" + version, e);
        }
    }

    public static CheckpointManifest fromJson(String json) {
        try {
            CheckpointManifest m = JSON.readValue(json, CheckpointManifest.class);
            if (m.schemaVersion() != SCHEMA_VERSION) {
                throw new IllegalArgumentException("checkpoint manifest schema version " + m.schemaVersion()
                        + " is not supported (expected " + SCHEMA_VERSION + ")");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("checkpoint manifest is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
