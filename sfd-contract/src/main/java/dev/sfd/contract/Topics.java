package dev.sfd.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's Kafka topics (schema version 1; README "Contracts"). Every module takes the names
 * from here; the services receive them as configuration defaults ({@code sfd.topic.*}, see
 * {@link #configDefaults()}), so an environment variable such as {@code SFD_TOPIC_PROMPTS} renames a
 * topic for a deployment without a code change.
 */
public final class Topics {

    public static final String PROMPTS = "sfd.prompts";
    public static final String PROMPTS_DLQ = "sfd.prompts.dlq";
    public static final String TRAJECTORIES = "sfd.trajectories";
    public static final String TRAJECTORIES_DLQ = "sfd.trajectories.dlq";
    public static final String CHECKPOINTS = "sfd.checkpoints";

    /** Partitions of the two work topics when nobody says otherwise (dead letters and events: 1). */
    public static final int DEFAULT_PARTITIONS = 6;

    /** One topic: its name, partitions and topic configs. */
    public record Definition(String configKey, String name, int partitions, Map<String, String> configs) {
        public Definition {
            if (partitions < 1) {
                throw new IllegalArgumentException("topic " + name + " needs at least 1 partition, got " + partitions
                        + "; use 1 or more");
            }
            configs = Map.copyOf(configs);
        }
    }

    private Topics() {
    }

    /** Every topic, with {@code partitions} for the prompt and trajectory topics. */
    public static List<Definition> all(int partitions) {
        return List.of(
                new Definition("sfd.topic.prompts", PROMPTS, partitions, Map.of()),
                new Definition("sfd.topic.prompts-dlq", PROMPTS_DLQ, 1, Map.of()),
                new Definition("sfd.topic.trajectories", TRAJECTORIES, partitions, Map.of()),
                new Definition("sfd.topic.trajectories-dlq", TRAJECTORIES_DLQ, 1, Map.of()),
                new Definition("sfd.topic.checkpoints", CHECKPOINTS, 1, Map.of("cleanup.policy", "compact")));
    }

    /** {@code sfd.topic.<role>} → topic name, the defaults the services' configuration starts from. */
    public static Map<String, String> configDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        all(DEFAULT_PARTITIONS).forEach(d -> m.put(d.configKey(), d.name()));
        return m;
    }
}
