package dev.sfd.stack;

import java.util.List;
import java.util.Map;

/**
 * A topic to create, with its partitions and configs. The project's defaults follow the contracts
 * in the README: prompts, trajectory segments, checkpoint events (compacted) and dead letters.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public static final String PROMPTS = "sfd.prompts";
    public static final String PROMPTS_DLQ = "sfd.prompts.dlq";
    public static final String TRAJECTORIES = "sfd.trajectories";
    public static final String TRAJECTORIES_DLQ = "sfd.trajectories.dlq";
    public static final String CHECKPOINTS = "sfd.checkpoints";

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least 1 partition, got " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    public static List<TopicSpec> projectTopics(int partitions) {
        return List.of(
                new TopicSpec(PROMPTS, partitions, Map.of()),
                new TopicSpec(PROMPTS_DLQ, 1, Map.of()),
                new TopicSpec(TRAJECTORIES, partitions, Map.of()),
                new TopicSpec(TRAJECTORIES_DLQ, 1, Map.of()),
                new TopicSpec(CHECKPOINTS, 1, Map.of("cleanup.policy", "compact")));
    }
}
