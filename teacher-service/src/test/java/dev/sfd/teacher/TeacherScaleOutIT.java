package dev.sfd.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.contract.Topics;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.trajectory.Trajectory;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.pipeline.teacher.TrajectoryIds;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged service as separate JVMs on the real local stack (run by failsafe after packaging):
 * two replicas in one consumer group split the prompts with no trajectory produced twice; a replica
 * killed with SIGKILL mid-prompt is replaced, the prompt is re-sent, and the duplicates carry the
 * same trajectory ids and the same bytes. Each test has its own topics (renamed by environment
 * variables, as a deployment can) and its own group.
 */
@ExtendWith(LocalStackExtension.class)
class TeacherScaleOutIT {

    private static final Duration WAIT = Duration.ofSeconds(240);

    /** Topic names of one test: the contract's names with a per-run suffix. */
    private record TestTopics(String prompts, String trajectories, String dlq) {
        static TestTopics create(LocalStack stack, String run) throws Exception {
            TestTopics t = new TestTopics(Topics.PROMPTS + "." + run, Topics.TRAJECTORIES + "." + run,
                    Topics.PROMPTS_DLQ + "." + run);
            try (Admin admin = stack.newAdmin()) {
                admin.createTopics(List.of(new NewTopic(t.prompts, 3, (short) 1), new NewTopic(t.trajectories, 3,
                        (short) 1), new NewTopic(t.dlq, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            return t;
        }

        Map<String, String> env(LocalStack stack, String group) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
            env.put("SFD_TOPIC_PROMPTS", prompts);
            env.put("SFD_TOPIC_TRAJECTORIES", trajectories);
            env.put("SFD_TOPIC_PROMPTS_DLQ", dlq);
            env.put("SFD_TEACHER_GROUP", group);
            env.put("SFD_MODELS_DIR", BuiltinTeachers.modelsDir().toAbsolutePath().toString());
            env.put("SFD_TEACHER_MODEL", "mixture2d");
            env.put("SFD_DISTILL_STEP_COUNTS", "3");
            return env;
        }
    }

    @Test
    void twoReplicasInOneGroupSplitThePromptsWithNoTrajectoryProducedTwice(LocalStack stack) throws Exception {
        String run = "split" + UUID.randomUUID().toString().substring(0, 6);
        TestTopics topics = TestTopics.create(stack, run);
        String group = "sfd-teacher-" + run;
        Map<String, String> env = topics.env(stack, group);
        env.put("SFD_TEACHER_BATCH_SIZE", "16");
        try (ServiceProcess a = ServiceProcess.start(run + "-a", env);
             ServiceProcess b = ServiceProcess.start(run + "-b", env)) {
            a.awaitReady(WAIT);
            b.awaitReady(WAIT);
            awaitMembers(stack, group, 2);
            List<RecordMetadata> sent = new ArrayList<>();
            try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(stack.bootstrapServers())) {
                for (int i = 0; i < 12; i++) {
                    String id = run + "-p" + i;
                    sent.add(KafkaTestClients.send(producer, topics.prompts(), i % 3, id,
                            new PromptRequest(id, "north-west", 25, 1000L * i).toJson()));
                }
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaTestClients.readUntil(stack.bootstrapServers(),
                    topics.trajectories(), r -> true, got -> got.size() >= 12 * 25 * 4, WAIT);
            awaitCommitted(stack, group, topics.prompts(), sent);
            // everything is committed: read the whole topic again, so a late duplicate would be seen
            records = KafkaTestClients.readUntil(stack.bootstrapServers(), topics.trajectories(), r -> true,
                    got -> got.size() >= 12 * 25 * 4, WAIT);
            Map<String, Integer> perId = new HashMap<>();
            records.forEach(r -> perId.merge(r.key(), 1, Integer::sum));
            assertEquals(300, perId.size(), "12 prompts x 25 trajectories");
            assertTrue(perId.values().stream().allMatch(c -> c == 4), "every trajectory exactly once (N + 1 = 4"
                    + " segments each)");
            assertEquals(1200, records.size());
            assertEquals(300, TrajectoryCheck.assemble(records).size());
            double doneA = a.counter("sfd_teacher_prompts_done_total");
            double doneB = b.counter("sfd_teacher_prompts_done_total");
            assertEquals(12, doneA + doneB, "each prompt served once");
            assertTrue(doneA > 0 && doneB > 0, "both replicas worked: " + doneA + " / " + doneB);
        }
    }

    @Test
    void aReplicaKilledMidPromptIsReplacedAndTheDuplicatesCarryTheSameIds(LocalStack stack) throws Exception {
        String run = "kill" + UUID.randomUUID().toString().substring(0, 6);
        TestTopics topics = TestTopics.create(stack, run);
        String group = "sfd-teacher-" + run;
        Map<String, String> env = topics.env(stack, group);
        env.put("SFD_TEACHER_BATCH_SIZE", "8");
        env.put("SFD_DISTILL_K", "96"); // a slow teacher: the prompt takes many batches
        int count = 2048;
        long seed = 77;
        String id = run + "-big";
        RecordMetadata sent;
        int seenAtKill;
        try (ServiceProcess first = ServiceProcess.start(run + "-first", env)) {
            first.awaitReady(WAIT);
            try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(stack.bootstrapServers())) {
                sent = KafkaTestClients.send(producer, topics.prompts(), 0, id,
                        new PromptRequest(id, "east", count, seed).toJson());
            }
            seenAtKill = TrajectoryCheck.assemble(KafkaTestClients.readUntil(stack.bootstrapServers(),
                    topics.trajectories(), r -> true, got -> TrajectoryCheck.assemble(got).size() >= 8, WAIT)).size();
            first.kill(); // SIGKILL mid-prompt
        }
        assertTrue(seenAtKill < count, "killed before the prompt was finished (" + seenAtKill + " trajectories)");
        assertTrue(committed(stack, group, topics.prompts(), sent) <= sent.offset(),
                "the unfinished prompt was not committed");
        try (ServiceProcess second = ServiceProcess.start(run + "-second", env)) {
            second.awaitReady(WAIT);
            awaitCommitted(stack, group, topics.prompts(), List.of(sent));
        }
        List<ConsumerRecord<String, byte[]>> records = KafkaTestClients.readUntil(stack.bootstrapServers(),
                topics.trajectories(), r -> true, got -> got.size() >= count * 4, WAIT);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            expected.add(TrajectoryIds.of(id, i, seed + i));
        }
        Map<String, List<ConsumerRecord<String, byte[]>>> byKey = new HashMap<>();
        records.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        assertEquals(expected, byKey.keySet(), "no trajectory id outside the prompt's (prompt id, index, seed)");
        Map<String, Trajectory> trajectories = TrajectoryCheck.assemble(records);
        assertEquals(count, trajectories.size(), "every trajectory complete after the restart");
        int duplicated = 0;
        for (Map.Entry<String, List<ConsumerRecord<String, byte[]>>> e : byKey.entrySet()) {
            Map<String, byte[]> firstCopy = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : e.getValue()) {
                String index = KafkaTestClients.header(r, TrajectoryKafkaHeaders.SEGMENT_INDEX);
                byte[] first = firstCopy.putIfAbsent(index, r.value());
                if (first != null) {
                    assertArrayEquals(first, r.value(), "segment " + index + " of " + e.getKey()
                            + " re-sent with other bytes");
                }
            }
            assertEquals(4, firstCopy.size(), "all N + 1 segments of " + e.getKey());
            duplicated += e.getValue().size() > 4 ? 1 : 0;
        }
        assertTrue(duplicated > 0, "the restart re-sent what the killed replica had sent");
    }

    private static void awaitMembers(LocalStack stack, String group, int members) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Admin admin = stack.newAdmin()) {
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group);
                if (d.members().size() == members
                        && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("group " + group + " never had " + members + " members with partitions");
    }

    private static long committed(LocalStack stack, String group, String topic, RecordMetadata m) throws Exception {
        try (Admin admin = stack.newAdmin()) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, m.partition()));
            return o == null ? -1 : o.offset();
        }
    }

    private static void awaitCommitted(LocalStack stack, String group, String topic, List<RecordMetadata> sent)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (RecordMetadata m : sent) {
                all &= committed(stack, group, topic, m) > m.offset();
            }
            if (all) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("prompts of group " + group + " not committed after " + WAIT);
    }
}
