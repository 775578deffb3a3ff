package dev.sfd.cli;

import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.StackSettings;
import dev.sfd.stack.TopicSpec;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd demo}: the main job, end to end on the embedded local stack. Today it brings the
 * stack up on free ports, publishes prompt records, consumes part of them as a group, prints the
 * group's lag, stores and stats an object in the checkpoint bucket, and stops everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the main job end to end on the embedded local stack.")
final class DemoCommand implements Callable<Integer> {

    private static final List<String> PROMPTS = List.of("a red circle", "a blue square", "a green triangle",
            "a yellow ring", "red square", "blue circle", "", "green ring");

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = ".sfd/demo", description = "Working directory of the demo stack.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.start(StackSettings.ephemeral(dataDir, 3))) {
            LocalStackCommand.printEndpoints(out, stack.endpoints(), Duration.ofNanos(System.nanoTime() - t0));
            publishPrompts(stack, out);
            String group = "sfd-demo-" + System.currentTimeMillis();
            int read = consume(stack, group, PROMPTS.size() / 2);
            out.println("Consumed " + read + " of " + PROMPTS.size() + " prompt records as group " + group + ":");
            LagCommand.print(out, group, ConsumerLag.describe(stack.bootstrapServers(), group, Duration.ofSeconds(10)));
            storeObject(stack, out);
            stack.checkHealthy();
            out.println("Demo finished; stopping the stack.");
        }
        return 0;
    }

    private static void publishPrompts(LocalStack stack, PrintWriter out) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < PROMPTS.size(); i++) {
                PromptRequest request = new PromptRequest("demo-" + i, PROMPTS.get(i), 4, 1000L * i);
                producer.send(new ProducerRecord<>(TopicSpec.PROMPTS, request.id(), request.toJson())).get();
            }
        }
        out.println("Published " + PROMPTS.size() + " prompt records to " + TopicSpec.PROMPTS);
    }

    private static int consume(LocalStack stack, String group, int wanted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        int read = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(TopicSpec.PROMPTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read < wanted && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    PromptRequest.fromJson(record.value());
                    read++;
                }
                consumer.commitSync();
            }
        }
        return read;
    }

    private static void storeObject(LocalStack stack, PrintWriter out) throws Exception {
        byte[] body = "{\"demo\":true}".getBytes(StandardCharsets.UTF_8);
        String key = "students/demo/v0/manifest.json";
        MinioClient client = stack.newMinioClient();
        try {
            client.putObject(PutObjectArgs.builder().bucket(stack.settings().bucket()).object(key)
                    .stream(new ByteArrayInputStream(body), body.length, -1)
                    .userMetadata(Map.of("purpose", "demo")).contentType("application/json").build());
            StatObjectResponse stat = client.statObject(StatObjectArgs.builder()
                    .bucket(stack.settings().bucket()).object(key).build());
            out.printf("Stored s3://%s/%s (%d bytes, metadata %s)%n", stack.settings().bucket(), key, stat.size(),
                    stat.userMetadata());
        } finally {
            client.close();
        }
    }
}
