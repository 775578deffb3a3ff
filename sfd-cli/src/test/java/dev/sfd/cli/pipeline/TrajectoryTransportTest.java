package dev.sfd.cli.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.trajectory.Trajectory;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Teacher trajectories through the real broker: segments out, identical trajectories back, bad records dead-lettered. */
@ExtendWith(LocalStackExtension.class)
class TrajectoryTransportTest {

    /** Topics of this test only, so other tests sharing the stack see none of its records. */
    private static final String TOPIC = "transport-test.trajectories";
    private static final String DLQ = "transport-test.trajectories.dlq";

    @Test
    void trajectoriesSurviveTheTopicAndCorruptRecordsAreDeadLettered(LocalStack stack) throws Exception {
        try (Admin admin = stack.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1), new NewTopic(DLQ, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Mixture2d data = Mixture2d.ring();
        PolynomialSchedule schedule = new PolynomialSchedule(0.002, 80);
        double[] times = schedule.timestampsDescending(3);
        long[] seeds = {11, 12, 13};
        TeacherTrajectory batch = new TrajectoryGenerator(data.noiseModel(),
                new TeacherSolver(Solvers.byName("dpm++3m"), schedule, 4))
                .generate(seeds, new long[] {2}, times, Condition.labels(0, 3, 5));

        try (KafkaProducer<String, byte[]> producer = KafkaClients.bytesProducer(stack.bootstrapServers())) {
            int records = new TrajectoryWriter(producer, TOPIC).write(batch,
                    new TrajectoryWriter.Provenance("transport-test", "edm", Map.of("t_min", 0.002, "t_max", 80.0),
                            List.of("north", "south", "west"), new int[] {0, 3, 5}, "exact-mixture"));
            assertEquals(3 * 4, records);
            producer.send(new ProducerRecord<>(TOPIC, "garbage",
                    "not a segment".getBytes(StandardCharsets.UTF_8))).get();
        }

        Map<Long, Trajectory> received = new HashMap<>();
        try (TrajectoryReader reader = new TrajectoryReader(stack.bootstrapServers(), "transport-test",
                TOPIC, DLQ)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((received.size() < 3 || reader.deadLettered() < 1) && System.nanoTime() < deadline) {
                for (Trajectory t : reader.poll(Duration.ofMillis(500))) {
                    if (t.id().startsWith("transport-test-")) {
                        received.put(t.header().seed(), t);
                    }
                }
            }
            assertEquals(1, reader.deadLettered());
        }
        assertEquals(3, received.size());
        for (int i = 0; i < seeds.length; i++) {
            Trajectory t = received.get(seeds[i]);
            assertEquals(3, t.steps());
            for (int n = 3; n >= 0; n--) {
                assertArrayEquals(batch.pointAt(n).sample(i), t.point(n).data(), "seed " + seeds[i] + " n " + n);
                assertEquals(times[3 - n], t.timestamp(n), 1e-12);
            }
        }

        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> dlq = KafkaClients.bytesConsumer(stack.bootstrapServers(), "dlq-check")) {
            dlq.subscribe(List.of(DLQ));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reasons.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(500))) {
                    reasons.add(new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
                    assertEquals("not a segment", new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(1, reasons.size());
        assertTrue(reasons.get(0).contains("corrupt segment"), reasons.get(0));
    }
}
