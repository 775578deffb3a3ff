package dev.sfd.cli.pipeline;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a record that cannot be processed to a dead-letter topic, unchanged, with headers that say
 * why and where it came from: {@code sfd.dlq.reason}, {@code sfd.dlq.source} (topic/partition@offset).
 */
public final class DeadLetters {

    public static final String REASON = "sfd.dlq.reason";
    public static final String SOURCE = "sfd.dlq.source";

    private DeadLetters() {
    }

    public static void send(KafkaProducer<String, byte[]> producer, String dlqTopic, ConsumerRecord<String, byte[]> bad,
                            String reason) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(dlqTopic, bad.key(), bad.value());
        bad.headers().forEach(h -> out.headers().add(h));
        out.headers().add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        out.headers().add(SOURCE, (bad.topic() + "/" + bad.partition() + "@" + bad.offset())
                .getBytes(StandardCharsets.UTF_8));
        producer.send(out);
    }
}
