package dev.sfd.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of a group, read through Kafka's admin API exactly as
 * {@code kafka-consumer-groups.sh --describe} computes it: per partition with a committed offset,
 * LAG = LOG-END-OFFSET − CURRENT-OFFSET.
 */
public final class ConsumerLag {

    /**
     * One row of {@code --describe}. A partition assigned to a member but never committed has
     * {@code currentOffset} −1 (the tool prints "-" for it and for its lag).
     */
    public record PartitionLag(String topic, int partition, long currentOffset, long logEndOffset) {
        public boolean committed() {
            return currentOffset >= 0;
        }

        /** LOG-END-OFFSET − CURRENT-OFFSET; 0 for a partition without a committed offset (unknown). */
        public long lag() {
            return committed() ? Math.max(0, logEndOffset - currentOffset) : 0;
        }
    }

    private ConsumerLag() {
    }

    public static List<PartitionLag> describe(String bootstrapServers, String groupId, Duration timeout) {
        try (Admin admin = Admin.create(StackProbe.quickAdmin(bootstrapServers))) {
            return describe(admin, groupId, timeout);
        }
    }

    public static List<PartitionLag> describe(Admin admin, String groupId, Duration timeout) {
        long ms = timeout.toMillis();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = new java.util.HashMap<>(admin
                    .listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(ms, TimeUnit.MILLISECONDS));
            // partitions assigned to a member but not committed yet: listed with "-", as the tool does
            assignedPartitions(admin, groupId, ms).forEach(tp -> committed.putIfAbsent(tp, null));
            Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest).all().get(ms, TimeUnit.MILLISECONDS);
            List<PartitionLag> rows = new ArrayList<>();
            committed.forEach((tp, offset) -> rows.add(new PartitionLag(tp.topic(), tp.partition(),
                    offset == null ? -1 : offset.offset(), ends.get(tp).offset())));
            rows.sort(Comparator.comparing(PartitionLag::topic).thenComparingInt(PartitionLag::partition));
            return rows;
        } catch (ExecutionException | TimeoutException e) {
            throw new StackUnavailableException("cannot read the offsets of consumer group '" + groupId + "' from "
                    + "the Kafka broker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackUnavailableException("interrupted while reading consumer lag", e);
        }
    }

    /** Partitions assigned to the group's live members; none for a group the broker does not know. */
    private static List<TopicPartition> assignedPartitions(Admin admin, String groupId, long ms)
            throws InterruptedException, TimeoutException, ExecutionException {
        try {
            List<TopicPartition> out = new ArrayList<>();
            admin.describeConsumerGroups(List.of(groupId)).all().get(ms, TimeUnit.MILLISECONDS).get(groupId).members()
                    .forEach(m -> out.addAll(m.assignment().topicPartitions()));
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return List.of(); // never committed and no members: nothing to show, as before
            }
            throw e;
        }
    }

    /**
     * True when the group has caught up: it has rows, and every partition is committed at its end
     * (an assigned partition without a commit counts as caught up only while it is empty).
     */
    public static boolean drained(List<PartitionLag> rows) {
        return !rows.isEmpty() && rows.stream()
                .allMatch(r -> r.committed() ? r.lag() == 0 : r.logEndOffset() == 0);
    }

    public static long total(List<PartitionLag> rows) {
        return rows.stream().mapToLong(PartitionLag::lag).sum();
    }
}
