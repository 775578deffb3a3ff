package dev.sfd.pipeline.teacher;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Kafka record of {@code sfd.trajectories}, without Kafka types: key (the block id), value (a
 * {@code TrajectoryBlockCodec} block) and headers ({@code TrajectoryKafkaHeaders}).
 *
 * @param promptId the prompt it was made for (not sent separately; used to acknowledge the prompt)
 * @param rows     trajectories in the block
 */
public record BlockRecord(String key, byte[] value, Map<String, byte[]> headers, String promptId, int rows) {

    public BlockRecord {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers)); // order kept
    }
}
