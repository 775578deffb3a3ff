package dev.sfd.teacher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the tests: publish prompt records, read a topic from its beginning. */
final class KafkaTestClients {

    private KafkaTestClients() {
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    static RecordMetadata send(KafkaProducer<String, byte[]> producer, String topic, Integer partition, String key,
                               String json) throws Exception {
        return send(producer, topic, partition, key, json.getBytes(StandardCharsets.UTF_8));
    }

    static RecordMetadata send(KafkaProducer<String, byte[]> producer, String topic, Integer partition, String key,
                               byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    }

    /**
     * Reads {@code topic} from the beginning (all partitions, no group) until {@code enough} holds
     * for the records kept by {@code keep}, or {@code timeout} passes (then fails naming what it had).
     */
    static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrap, String topic,
                                                          Predicate<ConsumerRecord<String, byte[]>> keep,
                                                          Predicate<List<ConsumerRecord<String, byte[]>>> enough,
                                                          Duration timeout) {
        List<ConsumerRecord<String, byte[]>> kept = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(readerConfig(bootstrap))) {
            List<TopicPartition> parts = fromTheBeginning(consumer, topic);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!enough.test(kept)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("gave up reading " + topic + " after " + timeout + " with " + kept.size()
                            + " matching records");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (keep.test(r)) {
                        kept.add(r);
                    }
                }
            }
        }
        return kept;
    }

    /**
     * Reads everything {@code topic} holds now: from the beginning up to the end offsets taken when
     * the read starts (use it once the writer has finished, e.g. after its input offset was committed).
     */
    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(readerConfig(bootstrap))) {
            List<TopicPartition> parts = fromTheBeginning(consumer, topic);
            java.util.Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("gave up reading " + topic + " to its end offsets " + end
                            + " after " + timeout + " with " + all.size() + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    /** A consumer of its own group that commits nothing and reads keys as strings, values as bytes. */
    private static Properties readerConfig(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return p;
    }

    /** Assigns every partition of {@code topic} and seeks to its beginning. */
    private static List<TopicPartition> fromTheBeginning(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return parts;
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
