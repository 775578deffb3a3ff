package dev.sfd.cli.pipeline;

import dev.sfd.core.trajectory.CorruptSegmentException;
import dev.sfd.core.trajectory.Trajectory;
import dev.sfd.core.trajectory.TrajectoryAssembler;
import dev.sfd.core.trajectory.TrajectoryAssemblyException;
import dev.sfd.core.trajectory.TrajectorySegmentCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Reads {@code sfd.trajectories} as a consumer group and hands out complete trajectories. A
 * record that does not decode, or does not fit its trajectory, goes to the dead-letter topic with
 * the reason; nothing is dropped silently. Offsets are committed after each poll's records have
 * been assembled or dead-lettered.
 */
public final class TrajectoryReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetterProducer;
    private final String deadLetterTopic;
    private final TrajectoryAssembler assembler = new TrajectoryAssembler();
    private long deadLettered;

    public TrajectoryReader(String bootstrapServers, String group, String topic, String deadLetterTopic) {
        this.consumer = KafkaClients.bytesConsumer(bootstrapServers, group);
        this.deadLetterProducer = KafkaClients.bytesProducer(bootstrapServers);
        this.deadLetterTopic = deadLetterTopic;
        consumer.subscribe(List.of(topic));
    }

    /** Complete trajectories from one poll (possibly none). */
    public List<Trajectory> poll(Duration timeout) {
        List<Trajectory> complete = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            try {
                assembler.accept(TrajectorySegmentCodec.decode(record.value())).ifPresent(complete::add);
            } catch (CorruptSegmentException e) {
                deadLetter(record, "corrupt segment (" + e.reason() + "): " + e.getMessage());
            } catch (TrajectoryAssemblyException e) {
                deadLetter(record, "segment does not fit its trajectory (" + e.reason() + "): " + e.getMessage());
            }
        }
        deadLetterProducer.flush();
        consumer.commitSync();
        return complete;
    }

    public long deadLettered() {
        return deadLettered;
    }

    public int pending() {
        return assembler.pendingCount();
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        DeadLetters.send(deadLetterProducer, deadLetterTopic, record, reason);
        deadLettered++;
    }

    @Override
    public void close() {
        consumer.close();
        deadLetterProducer.close();
    }
}
