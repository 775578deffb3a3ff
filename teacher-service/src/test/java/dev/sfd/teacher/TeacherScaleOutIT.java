package dev.sfd.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged service as separate JVMs on the real local stack (run by failsafe after packaging):
 * two replicas in one consumer group split the prompts with no trajectory produced twice. The test
 * has its own topics (renamed by environment variables, as a deployment can) and its own group.
 */
@ExtendWith(LocalStackExtension.class)
class TeacherScaleOutIT {

    private static final Duration WAIT = ItSupport.WAIT;

    @Test
    void twoReplicasInOneGroupSplitThePromptsWithNoTrajectoryProducedTwice(LocalStack stack) throws Exception {
        String run = "split" + UUID.randomUUID().toString().substring(0, 6);
        ItSupport.TestTopics topics = ItSupport.TestTopics.create(stack, run);
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
                    topics.trajectories(), r -> true, got -> TrajectoryCheck.rows(got) >= 12 * 25, WAIT);
            ItSupport.awaitCommitted(stack, group, topics.prompts(), sent);
            // everything is committed: read the whole topic again, so a late duplicate would be seen
            records = KafkaTestClients.readAll(stack.bootstrapServers(), topics.trajectories(), WAIT);
            assertEquals(300, TrajectoryCheck.assemble(records).size(), "12 prompts x 25 trajectories");
            assertEquals(300, TrajectoryCheck.rows(records), "every trajectory exactly once");
            double doneA = a.counter("sfd_teacher_prompts_done_total");
            double doneB = b.counter("sfd_teacher_prompts_done_total");
            assertEquals(12, doneA + doneB, "each prompt served once");
            assertTrue(doneA > 0 && doneB > 0, "both replicas worked: " + doneA + " / " + doneB);
        }
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

}
