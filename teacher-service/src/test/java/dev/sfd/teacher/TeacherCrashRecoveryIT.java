package dev.sfd.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.trajectory.TrajectoryBlock;
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
 * the new instance re-sends it whole, every trajectory arrives, and re-sent trajectories carry the same
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
        // the prompt's offset is committed only after every block was acknowledged: all are in the topic now
        List<ConsumerRecord<String, byte[]>> records = KafkaTestClients.readAll(stack.bootstrapServers(),
                topics.trajectories(), WAIT);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            expected.add(TrajectoryIds.of(id, i, seed + i));
        }
        // every copy of a trajectory (a re-sent block may be cut differently) carries the same points
        Map<String, float[]> firstCopy = new HashMap<>();
        int duplicated = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            TrajectoryBlock b = TrajectoryCheck.decode(r);
            for (int i = 0; i < b.rows(); i++) {
                float[] points = new TrajectoryCheck.Row(b, i).point(0);
                float[] first = firstCopy.putIfAbsent(b.trajectoryId(i), points);
                if (first != null) {
                    assertArrayEquals(first, points, b.trajectoryId(i) + " re-sent with other points");
                    duplicated++;
                }
            }
        }
        assertEquals(expected, firstCopy.keySet(), "no trajectory id outside the prompt's (prompt id, index, seed)");
        assertEquals(count, TrajectoryCheck.assemble(records).size(), "every trajectory complete after the restart");
        assertTrue(duplicated > 0, "the restart re-sent what the killed replica had sent");
    }

}
