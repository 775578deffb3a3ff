package dev.sfd.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.trajectory.Trajectory;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.pipeline.teacher.TrajectoryIds;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged service killed with SIGKILL mid-prompt and replaced: the prompt was not committed,
 * the new instance re-sends it whole, every trajectory arrives, and re-sent segments carry the same
 * trajectory ids (prompt id, index, seed) and the same bytes.
 */
@ExtendWith(LocalStackExtension.class)
class TeacherCrashRecoveryIT {

    private static final Duration WAIT = ItSupport.WAIT;

    @Test
    void aReplicaKilledMidPromptIsReplacedAndTheDuplicatesCarryTheSameIds(LocalStack stack) throws Exception {
        String run = "kill" + UUID.randomUUID().toString().substring(0, 6);
        ItSupport.TestTopics topics = ItSupport.TestTopics.create(stack, run);
        String group = "sfd-teacher-" + run;
        Map<String, String> env = topics.env(stack, group);
        env.put("SFD_TEACHER_BATCH_SIZE", "8");
        env.put("SFD_DISTILL_K", "128"); // a slow teacher: the prompt takes 512 batches, the kill comes after 1
        int count = 4096;
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
        assertTrue(ItSupport.committed(stack, group, topics.prompts(), sent) <= sent.offset(),
                "the unfinished prompt was not committed");
        try (ServiceProcess second = ServiceProcess.start(run + "-second", env)) {
            second.awaitReady(WAIT);
            ItSupport.awaitCommitted(stack, group, topics.prompts(), List.of(sent));
        }
        // the prompt's offset is committed only after every segment was acknowledged: all are in the topic now
        List<ConsumerRecord<String, byte[]>> records = KafkaTestClients.readAll(stack.bootstrapServers(),
                topics.trajectories(), WAIT);
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

}
