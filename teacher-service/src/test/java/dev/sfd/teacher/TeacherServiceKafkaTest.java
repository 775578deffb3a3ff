package dev.sfd.teacher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.contract.DeadLetterHeaders;
import dev.sfd.contract.Topics;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.pipeline.teacher.ValidatedPrompt;
import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.LocalStackTestResource;
import dev.sfd.stack.SharedLocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service in this JVM against the real local stack: prompts published with a plain producer
 * come back as the expected trajectories, and every class of bad record lands in the DLQ with its
 * reason while the stream goes on.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class TeacherServiceKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Inject
    TeacherEngine engine;

    @ConfigProperty(name = "sfd.teacher.group")
    String group;

    private final String bootstrap = SharedLocalStack.get().bootstrapServers();

    @Test
    void promptsBecomeTheExpectedTrajectoriesAndTheirOffsetsAreCommitted() throws Exception {
        String prefix = "kt-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        TeacherEngine.Running running = engine.started().toCompletableFuture().get();
        List<PromptRequest> requests = List.of(
                new PromptRequest(prefix + "a", "north", 5, 100L),
                new PromptRequest(prefix + "b", "a blue dot", 40, null),
                new PromptRequest(prefix + "c", "south-west", 3, 7L, List.of(4), "mixture2d"));
        List<ValidatedPrompt> prompts = new ArrayList<>();
        int expected = 0;
        List<RecordMetadata> published = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrap)) {
            for (PromptRequest r : requests) {
                ValidatedPrompt p = running.validator().validate(r);
                prompts.add(p);
                expected += r.count();
                published.add(KafkaTestClients.send(producer, Topics.PROMPTS, null, r.id(), r.toJson()));
            }
        }
        int expectedRows = expected;
        List<ConsumerRecord<String, byte[]>> records = KafkaTestClients.readUntil(bootstrap, Topics.TRAJECTORIES,
                r -> r.key().startsWith(prefix), got -> TrajectoryCheck.rows(got) >= expectedRows, WAIT);
        Map<String, TrajectoryCheck.Row> trajectories = TrajectoryCheck.assemble(records);
        assertEquals(48, trajectories.size(), "5 + 40 + 3 trajectories");
        assertEquals(expectedRows, TrajectoryCheck.rows(records), "no trajectory sent twice in a clean run");
        assertTrue(records.size() < expectedRows, "blocks carry several trajectories: " + records.size()
                + " records for " + expectedRows);
        int compared = 0;
        for (ValidatedPrompt p : prompts) {
            compared += TrajectoryCheck.compare(p, trajectories, running.settings());
        }
        assertEquals(48, compared);
        assertEquals(List.of(4), List.of(trajectories.get(prefix + "c/0/7").steps()), "the prompt's own step counts");

        awaitCommitted(published); // offsets committed once every block was acknowledged
    }

    @Test
    void everyBadRecordLandsInTheDeadLetterTopicWithItsReasonAndTheStreamGoesOn() throws Exception {
        String prefix = "dlq-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, Object[]> bad = new LinkedHashMap<>(); // key -> {value bytes, expected reason}
        bad.put("utf8", new Object[] {new byte[] {'{', '"', (byte) 0xFF, '"', '}'}, "not valid UTF-8"});
        bad.put("json", new Object[] {utf8("{\"id\": \"x\", \"prompt\": "), "not valid JSON"});
        bad.put("field", new Object[] {utf8("{\"id\":\"x\",\"prompt\":\"north\",\"count\":1,\"size\":3}"),
                "unknown field 'size'"});
        bad.put("noid", new Object[] {utf8("{\"prompt\":\"north\",\"count\":1}"), "has no id"});
        bad.put("empty", new Object[] {utf8("{\"id\":\"x\",\"prompt\":\"\",\"count\":1}"), "empty prompt"});
        bad.put("long", new Object[] {utf8("{\"id\":\"x\",\"prompt\":\"" + "north ".repeat(40) + "\",\"count\":1}"),
                "the limit is 200"});
        bad.put("words", new Object[] {utf8("{\"id\":\"x\",\"prompt\":\"a nrth dot\",\"count\":1}"),
                "does not know: nrth"});
        bad.put("count0", new Object[] {utf8("{\"id\":\"x\",\"prompt\":\"north\",\"count\":0}"), "count 0"});
        bad.put("count5000", new Object[] {utf8("{\"id\":\"x\",\"prompt\":\"north\",\"count\":5000}"),
                "count 5000"});
        bad.put("steps", new Object[] {utf8("{\"id\":\"x\",\"prompt\":\"north\",\"count\":1,\"stepCounts\":[9]}"),
                "N = 9, which the trainer does not train"});
        bad.put("teacher", new Object[] {utf8("{\"id\":\"x\",\"prompt\":\"north\",\"count\":1,\"teacher\":\"shapes\"}"),
                "is for teacher 'shapes'"});
        bad.put("tombstone", new Object[] {null, "no value"});
        bad.put("array", new Object[] {utf8("[{\"id\":\"x\",\"prompt\":\"north\",\"count\":1}]"),
                "is a JSON array, expected a JSON object"}); // issue 27, defect 8 (found with kcat)
        Map<String, RecordMetadata> sent = new HashMap<>();
        String good = prefix + "good";
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrap)) {
            for (Map.Entry<String, Object[]> e : bad.entrySet()) {
                sent.put(prefix + e.getKey(), KafkaTestClients.send(producer, Topics.PROMPTS, 0, prefix + e.getKey(),
                        (byte[]) e.getValue()[0]));
            }
            sent.put(good, KafkaTestClients.send(producer, Topics.PROMPTS, 0, good,
                    new PromptRequest(good, "east", 2, 5L).toJson()));
        }
        List<ConsumerRecord<String, byte[]>> letters = KafkaTestClients.readUntil(bootstrap, Topics.PROMPTS_DLQ,
                r -> r.key() != null && r.key().startsWith(prefix), got -> got.size() >= bad.size(), WAIT);
        assertEquals(bad.size(), letters.size(), "one dead letter per bad record, none for the good one");
        for (ConsumerRecord<String, byte[]> letter : letters) {
            Object[] expected = bad.get(letter.key().substring(prefix.length()));
            String reason = KafkaTestClients.header(letter, DeadLetterHeaders.REASON);
            assertTrue(reason != null && reason.contains((String) expected[1]),
                    letter.key() + ": expected '" + expected[1] + "' in reason: " + reason);
            RecordMetadata source = sent.get(letter.key());
            assertEquals(DeadLetterHeaders.source(Topics.PROMPTS, source.partition(), source.offset()),
                    KafkaTestClients.header(letter, DeadLetterHeaders.SOURCE));
            assertArrayEquals((byte[]) expected[0], letter.value(), "the original value, unchanged");
        }
        // the stream went on: the good prompt after the bad ones was served
        List<ConsumerRecord<String, byte[]>> goodBlocks = KafkaTestClients.readUntil(bootstrap, Topics.TRAJECTORIES,
                r -> r.key().startsWith(good + "/"), got -> TrajectoryCheck.assemble(got).size() == 2, WAIT);
        assertEquals(2, TrajectoryCheck.assemble(goodBlocks).size());

        awaitCommitted(new ArrayList<>(sent.values())); // dead letters and the good prompt: all committed
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(counter(metrics, "sfd_teacher_prompts_rejected_total") >= bad.size(), "rejected counter");
        assertTrue(counter(metrics, "sfd_teacher_trajectories_total") >= 2, "trajectory counter");
        given().when().get("/q/metrics").then()
                .body(containsString("sfd_teacher_batch_fill"))
                .body(containsString("sfd_teacher_sample_nfe_total"))
                .body(containsString("sfd_teacher_blocks_total"))
                .body(containsString("sfd_teacher_block_bytes_total"))
                .body(containsString("kafka_consumer_fetch_manager_records_lag"));
    }

    /** Waits until the group's committed offsets cover every record in {@code sent} (fails after WAIT). */
    private void awaitCommitted(List<RecordMetadata> sent) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> missing;
        do {
            Thread.sleep(500);
            Map<Integer, Long> committed = new HashMap<>();
            ConsumerLag.describe(bootstrap, group, Duration.ofSeconds(10)).stream()
                    .filter(p -> p.topic().equals(Topics.PROMPTS))
                    .forEach(p -> committed.put(p.partition(), p.currentOffset()));
            missing = sent.stream().filter(m -> committed.getOrDefault(m.partition(), -1L) <= m.offset())
                    .map(m -> m.partition() + "@" + m.offset()).toList();
        } while (!missing.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), missing, "prompt records of group " + group + " not committed");
    }

    private static double counter(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(
                l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
