package dev.sfd.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local stack's Kafka broker: topics, a real produce/consume round trip, and consumer lag. */
@ExtendWith(LocalStackExtension.class)
class KafkaStackTest {

    @Test
    void createsTheProjectTopicsWithTheirPartitionsAndConfigs(LocalStack stack) throws Exception {
        try (Admin admin = stack.newAdmin()) {
            List<String> names = stack.settings().topics().stream().map(TopicSpec::name).toList();
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            for (TopicSpec spec : stack.settings().topics()) {
                assertEquals(spec.partitions(), topics.get(spec.name()).partitions().size(), spec.name());
            }
            ConfigResource checkpoints = new ConfigResource(ConfigResource.Type.TOPIC, TopicSpec.CHECKPOINTS);
            String policy = admin.describeConfigs(List.of(checkpoints)).all().get(10, TimeUnit.SECONDS)
                    .get(checkpoints).get("cleanup.policy").value();
            assertEquals("compact", policy);
        }
    }

    @Test
    void roundTripsRecordsAndReportsLagLikeConsumerGroupCommand(LocalStack stack) throws Exception {
        String topic = TopicSpec.PROMPTS;
        String group = "lag-test-" + System.nanoTime();
        int produced = 30;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(stack))) {
            for (int i = 0; i < produced; i++) {
                producer.send(new ProducerRecord<>(topic, "id-" + i, "{\"id\":\"id-" + i + "\"}")).get();
            }
        }
        Map<String, String> received = new HashMap<>();
        int toConsume = 12;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(stack, group))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < toConsume && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (received.size() < toConsume) {
                        received.put(r.key(), r.value());
                    }
                }
            }
            assertEquals(toConsume, received.size(), "records consumed");
            received.forEach((k, v) -> assertEquals("{\"id\":\"" + k + "\"}", v));
            consumer.commitSync();
        }

        List<ConsumerLag.PartitionLag> lag = ConsumerLag.describe(stack.bootstrapServers(), group, Duration.ofSeconds(10));
        long consumed = lag.stream().mapToLong(ConsumerLag.PartitionLag::currentOffset).sum();
        long end = lag.stream().mapToLong(ConsumerLag.PartitionLag::logEndOffset).sum();
        assertTrue(consumed >= toConsume, "committed offsets cover what was read: " + consumed);
        assertEquals(end - consumed, ConsumerLag.total(lag));
        assertTrue(ConsumerLag.total(lag) > 0, "some records are left unread");

        assertEquals(consumerGroupCommandLag(stack, group), lagByPartition(lag),
                "our lag equals what Kafka's ConsumerGroupCommand --describe prints");
    }

    private static Map<Integer, Long> lagByPartition(List<ConsumerLag.PartitionLag> rows) {
        Map<Integer, Long> byPartition = new HashMap<>();
        rows.forEach(r -> byPartition.put(r.partition(), r.lag()));
        return byPartition;
    }

    /** Kafka's own tool, PARTITION → LAG. */
    private static Map<Integer, Long> consumerGroupCommandLag(LocalStack stack, String group) throws Exception {
        Map<Integer, Long> lag = new HashMap<>();
        KafkaTools.lagByPartition(stack.bootstrapServers(), group)
                .forEach((tp, l) -> lag.put(Integer.parseInt(tp.substring(tp.lastIndexOf('/') + 1)), l));
        return lag;
    }

    static Properties producerProps(LocalStack stack) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    static Properties consumerProps(LocalStack stack, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }
}
