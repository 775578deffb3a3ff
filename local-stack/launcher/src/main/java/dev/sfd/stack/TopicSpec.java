package dev.sfd.stack;

import dev.sfd.contract.Topics;
import java.util.List;
import java.util.Map;

/**
 * A topic to create, with its partitions and configs. Names and configs come from the project's
 * one topic contract ({@link Topics}); the constants below are kept as short aliases for tests.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public static final String PROMPTS = Topics.PROMPTS;
    public static final String PROMPTS_DLQ = Topics.PROMPTS_DLQ;
    public static final String TRAJECTORIES = Topics.TRAJECTORIES;
    public static final String TRAJECTORIES_DLQ = Topics.TRAJECTORIES_DLQ;
    public static final String CHECKPOINTS = Topics.CHECKPOINTS;

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least 1 partition, got " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    public static List<TopicSpec> projectTopics(int partitions) {
        return Topics.all(partitions).stream()
                .map(d -> new TopicSpec(d.name(), d.partitions(), d.configs()))
                .toList();
    }
}
