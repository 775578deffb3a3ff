package dev.sfd.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.trajectory.Trajectory;
import dev.sfd.core.trajectory.TrajectorySegment;
import dev.sfd.pipeline.trainer.TrajectoryBatcher;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark (not a timed test; excluded from the default build): trajectories/s of the packaged
 * trainer consuming from Kafka against {@link SfdStudentTrainer} fed the same trajectories in
 * process. Run: {@code mvn -B -pl student-trainer -am verify -Pbenchmark -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=TrainerThroughputBenchmarkIT
 * -Dsfd.bench.trajectories=4096}.
 */
@Tag("benchmark")
@ExtendWith(LocalStackExtension.class)
class TrainerThroughputBenchmarkIT {

    @Test
    void kafkaAgainstInProcess(LocalStack stack) throws Exception {
        int count = Integer.getInteger("sfd.bench.trajectories", 256);
        int batch = InProcess.BATCH;
        count = count / batch * batch;
        List<TrajectorySegment> segments = TrajectoryProducer.segments(50_000, count);

        List<Trajectory> trajectories = InProcess.trajectories(segments);
        double inProcessSeconds;
        try (SfdStudentTrainer trainer = InProcess.trainer()) {
            long t0 = System.nanoTime();
            for (int from = 0; from < trajectories.size(); from += batch) {
                var s = TrajectoryBatcher.stack(trajectories.subList(from, from + batch));
                trainer.train(s.trajectory(), s.labels());
            }
            inProcessSeconds = (System.nanoTime() - t0) / 1e9;
        }

        String topic = "bench.trajectories." + System.nanoTime();
        try (var admin = stack.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        StudentTrainerProcessIT.Service service = StudentTrainerProcessIT.Service.start(stack, "bench-student", "bench",
                List.of("-Dsfd.topic.trajectories=" + topic, "-Dsfd.trainer.group-id=bench-" + System.nanoTime(),
                        "-Dsfd.trainer.budget=" + count, "-Dsfd.trainer.shuffle-window=" + batch,
                        "-Dsfd.trainer.checkpoint-every-steps=1000000000", "-Dsfd.trainer.idle-end=120s"));
        double kafkaSeconds;
        try {
            awaitReady(service);
            long t0 = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = TrajectoryProducer.producer(stack.bootstrapServers())) {
                TrajectoryProducer.send(producer, topic, segments);
            }
            while (trained(service) < count) {
                service.requireAlive();
                Thread.sleep(100);
            }
            kafkaSeconds = (System.nanoTime() - t0) / 1e9;
        } finally {
            service.stop();
        }
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-44s %8s %9s %10s", "path", "traj", "seconds", "traj/s"));
        rows.add(String.format("%-44s %8d %9.2f %10.1f", "SfdStudentTrainer fed in process", count, inProcessSeconds,
                count / inProcessSeconds));
        rows.add(String.format("%-44s %8d %9.2f %10.1f", "student-trainer from Kafka (produce included)", count,
                kafkaSeconds, count / kafkaSeconds));
        rows.add(String.format("ratio Kafka / in process: %.2f (target >= 0.9)", inProcessSeconds / kafkaSeconds));
        System.out.println(String.join("\n", rows));
        assertTrue(kafkaSeconds > 0 && inProcessSeconds > 0);
    }

    private static void awaitReady(StudentTrainerProcessIT.Service s) throws Exception {
        for (int i = 0; i < 600; i++) {
            s.requireAlive();
            try {
                if (s.health().contains("\"UP\"") && s.log().contains("assigned")) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("service not ready:\n" + s.tail());
    }

    private static double trained(StudentTrainerProcessIT.Service s) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith("sfd_trainer_trajectories_trained_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
