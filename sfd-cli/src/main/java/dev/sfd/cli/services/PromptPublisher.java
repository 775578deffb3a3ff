package dev.sfd.cli.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfd.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes prompt records to {@code sfd.prompts} (key = id) and reports what the broker
 * acknowledged. A line starting with '{' is sent as the JSON record it is (the teacher-service
 * validates it, refusing bad ones to the dead-letter topic); any other line is prompt text, made
 * into a record {@code {id, prompt, count, seed}}.
 */
public final class PromptPublisher implements AutoCloseable {

    /** What the broker acknowledged for one record. */
    public record Sent(String key, int partition, long offset) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public PromptPublisher(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    public PromptPublisher(String bootstrapServers) {
        this(bootstrapServers, Topics.PROMPTS);
    }

    /** The JSON record for a prompt text (seed may be null: the teacher derives one from the id). */
    public static String record(String id, String prompt, int count, Long seed) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("prompt", prompt);
        n.put("count", count);
        if (seed != null) {
            n.put("seed", seed);
        }
        return n.toString();
    }

    /**
     * Sends each line (JSON record or prompt text) and waits for the broker's acknowledgements.
     *
     * @param idPrefix ids of text lines: {@code <idPrefix>-<line number>}
     * @param seed     seed of the first text line; line i gets {@code seed + i·count} (null: none)
     */
    public List<Sent> publish(List<String> lines, String idPrefix, int count, Long seed) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        int i = 0;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String key;
            String value;
            if (line.startsWith("{")) {
                value = line;
                key = keyOf(line, idPrefix + "-" + i);
            } else {
                key = idPrefix + "-" + i;
                value = record(key, line, count, seed == null ? null : seed + (long) i * count);
            }
            keys.add(key);
            acks.add(producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8))));
            i++;
        }
        List<Sent> sent = new ArrayList<>();
        for (int j = 0; j < acks.size(); j++) {
            RecordMetadata m = acks.get(j).get();
            sent.add(new Sent(keys.get(j), m.partition(), m.offset()));
        }
        return sent;
    }

    /** The record's id as its key, so a prompt's records stay in one partition; a fallback for unreadable JSON. */
    private static String keyOf(String json, String fallback) {
        try {
            var id = JSON.readTree(json).get("id");
            return id != null && id.isTextual() && !id.asText().isBlank() ? id.asText() : fallback;
        } catch (Exception e) {
            return fallback;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
