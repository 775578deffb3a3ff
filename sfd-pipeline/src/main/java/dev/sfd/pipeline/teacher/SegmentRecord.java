package dev.sfd.pipeline.teacher;

import java.util.Map;

/**
 * One Kafka record of {@code sfd.trajectories}, without Kafka types: key (the trajectory id),
 * value (a {@code TrajectorySegmentCodec} segment) and headers ({@code TrajectoryKafkaHeaders}).
 *
 * @param promptId the prompt it was made for (not sent; used to acknowledge the prompt)
 */
public record SegmentRecord(String key, byte[] value, Map<String, byte[]> headers, String promptId) {

    public SegmentRecord {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers)); // order kept
    }
}
