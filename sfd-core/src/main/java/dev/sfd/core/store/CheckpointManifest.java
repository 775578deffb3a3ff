package dev.sfd.core.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a student checkpoint is (schema v1): written as {@code manifest.json} next to
 * {@code student.onnx} in the object store, and sent as the {@code sfd.checkpoints} event (key =
 * student name). {@code sha256} and {@code bytes} describe {@code student.onnx}; a reader refuses
 * a file that does not match them.
 *
 * <p>A trainer's checkpoint also carries what an exact resume needs (optional fields, absent in
 * a checkpoint published by {@code sfd distill}; readers of schema v1 ignore them):
 * {@code stateKey}/{@code stateSha256}/{@code stateBytes} describe the {@link TrainerState}
 * object; {@code trajectoriesSeen}, {@code lossPerN} (mean loss per step count N since the
 * previous checkpoint), {@code topic} and {@code offsets} (partition → next offset to read: every
 * record below it is covered by this checkpoint), {@code pass} (replay pass) and
 * {@code codeVersion}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointManifest(int schemaVersion, String student, long version, String objectKey, String sha256,
                                 long bytes, long step, List<Integer> stepCounts, String schedule, String teacher,
                                 Map<String, Double> metrics, String createdAt, String stateKey, String stateSha256,
                                 Long stateBytes, Long trajectoriesSeen, Map<String, Double> lossPerN, String topic,
                                 Map<String, Long> offsets, Integer pass, String codeVersion) {

    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A manifest without trainer state (a student published from an in-process run). */
    public CheckpointManifest(int schemaVersion, String student, long version, String objectKey, String sha256,
                              long bytes, long step, List<Integer> stepCounts, String schedule, String teacher,
                              Map<String, Double> metrics, String createdAt) {
        this(schemaVersion, student, version, objectKey, sha256, bytes, step, stepCounts, schedule, teacher, metrics,
                createdAt, null, null, null, null, null, null, null, null, null);
    }

    @JsonCreator
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
        lossPerN = lossPerN == null ? null : Collections.unmodifiableMap(new TreeMap<>(lossPerN));
        offsets = offsets == null ? null : Collections.unmodifiableMap(new TreeMap<>(offsets));
        if (stateSha256 != null && !stateSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("trainer state sha256 must be 64 lower-case hex digits, got "
                    + stateSha256);
        }
    }

    /** Whether this checkpoint carries a trainer state (it can be resumed from). */
    @JsonIgnore
    public boolean resumable() {
        return stateKey != null && stateSha256 != null && stateBytes != null && offsets != null;
    }

    /** The next offset to read per partition, as numbers (empty for a checkpoint without offsets). */
    @JsonIgnore
    public Map<Integer, Long> partitionOffsets() {
        Map<Integer, Long> out = new TreeMap<>();
        if (offsets != null) {
            offsets.forEach((p, o) -> out.put(Integer.parseInt(p), o));
        }
        return out;
    }

    /** A copy with the object keys the store assigns. */
    public CheckpointManifest withKeys(String onnxKey, String newStateKey) {
        return new CheckpointManifest(schemaVersion, student, version, onnxKey, sha256, bytes, step, stepCounts,
                schedule, teacher, metrics, createdAt, newStateKey, stateSha256, stateBytes, trajectoriesSeen,
                lossPerN, topic, offsets, pass, codeVersion);
    }

    /** A copy with another version number (a publisher assigns it when it stores the checkpoint). */
    public CheckpointManifest withVersion(long newVersion) {
        return new CheckpointManifest(schemaVersion, student, newVersion, objectKey, sha256, bytes, step, stepCounts,
                schedule, teacher, metrics, createdAt, stateKey, stateSha256, stateBytes, trajectoriesSeen,
                lossPerN, topic, offsets, pass, codeVersion);
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
