package dev.sfd.teacher;


import dev.sfd.contract.Topics;
import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.stack.LocalStack;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the ITs on the packaged service share: per-test topics, the environment, commit checks. */
final class ItSupport {

    static final Duration WAIT = Duration.ofSeconds(240);

    private ItSupport() {
    }

    /** Topic names of one test: the contract's names with a per-run suffix. */
    record TestTopics(String prompts, String trajectories, String dlq) {
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

    static long committed(LocalStack stack, String group, String topic, RecordMetadata m) throws Exception {
        try (Admin admin = stack.newAdmin()) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, m.partition()));
            return o == null ? -1 : o.offset();
        }
    }

    static void awaitCommitted(LocalStack stack, String group, String topic, List<RecordMetadata> sent)
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
