package dev.sfd.trainer;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Positions the consumer on every assignment from the trainer's own bookkeeping, not from the
 * group's committed offsets: past what this process already holds, else the offsets of the
 * checkpoint it resumed from, else the beginning of the topic (the topic is the data set).
 */
@ApplicationScoped
@Identifier("sfd-trainer-rebalance")
public class TrainerRebalanceListener implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(TrainerRebalanceListener.class);

    private final TrainerService service;

    public TrainerRebalanceListener(TrainerService service) {
        this.service = service;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<Integer, Long> seek = service.stage().seekPositions(partitions.stream().map(TopicPartition::partition)
                .toList());
        for (TopicPartition tp : partitions) {
            Long offset = seek.get(tp.partition());
            if (offset != null) {
                consumer.seek(tp, offset);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        LOG.infof("assigned %s; reading from %s (others from the beginning)", partitions, seek);
    }
}
