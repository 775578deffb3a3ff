package dev.sfd.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.cli.services.PromptPublisher;
import dev.sfd.contract.ConsumerGroups;
import dev.sfd.contract.Topics;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.store.TrainerState;
import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.ServiceProcess;
import dev.sfd.stack.StackEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The burst: {@value #PROMPTS} prompts published at once (one sample each, so the run is
 * bounded), teacher, trainer and sampler running as child JVMs at {@code -Xmx512m} with 2 gRPC
 * clients calling the sampler. The teacher's lag rises to the burst and drains to 0, the trainer's
 * lag drains to 0, the newest checkpoint's lineage holds every one of the {@value #PROMPTS}
 * trajectory ids exactly once, no service dies or restarts, and each service's peak resident
 * memory (sampled every 0.5 s) stays under {@value #RSS_BOUND_MIB} MiB: the teacher holds at most
 * {@code sfd.teacher.max-active-prompts} prompts and stops pulling beyond them, the trainer's
 * buffers are bounded by its shuffle window and pending limit. Figures go to
 * {@code target/fault-figures/burst.md}.
 */
@Tag("faults")
class BurstTest {

    static final int PROMPTS = 10_000;
    /** Heap -Xmx512m plus ONNX Runtime, metaspace, threads and Kafka buffers: a service past this has a leak. */
    static final long RSS_BOUND_MIB = 1024;
    private static final String STUDENT = "burst-student";
    private static final Duration WAIT = Duration.ofMinutes(10);

    @Test
    void tenThousandPromptsAtOnceDrainWithBoundedMemory(@TempDir Path dir) throws Exception {
        FaultFigures fig = new FaultFigures("Burst (BurstTest, mixture2d, 2 partitions, " + PROMPTS
                + " prompts x 1 sample)");
        List<String> modes = Mixture2d.ring().modes().stream().map(Mixture2d.Mode::name).toList();
        try (FaultStack fs = new FaultStack(dir, 2)) {
            int grpcPort = ServiceProcess.freePort();
            Map<String, String> config = fs.config(settings(grpcPort));
            StackEndpoints e = fs.stack().endpoints();
            ServiceProcess teacher = fs.start("teacher-service", "teacher", "teacher-service", config);
            ServiceProcess trainer = fs.start("student-trainer", "trainer", "student-trainer", config);
            ServiceProcess sampler = fs.start("sampler-service", "sampler", "sampler-service", config);
            teacher.awaitReady(WAIT);
            trainer.awaitReady(WAIT);
            sampler.awaitLive(WAIT);
            try (SamplerClients clients = new SamplerClients("127.0.0.1:" + grpcPort, 2, 500);
                    CheckpointStore store = new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(),
                            e.accessKey(), e.secretKey(), e.bucket(), null))) {
                long start = System.nanoTime();
                try (KafkaProducer<String, String> producer = PipelineSettings.promptProducer(e.bootstrapServers())) {
                    List<Future<RecordMetadata>> sent = new ArrayList<>(PROMPTS);
                    for (int i = 0; i < PROMPTS; i++) {
                        String id = "burst-" + i;
                        sent.add(producer.send(new ProducerRecord<>(Topics.PROMPTS, id,
                                PromptPublisher.record(id, modes.get(i % modes.size()), 1, (long) i))));
                    }
                    for (Future<RecordMetadata> f : sent) {
                        f.get();
                    }
                }
                long publishedNanos = System.nanoTime() - start;
                long maxTeacherLag = 0;
                long maxTrainerLag = 0;
                long teacherDrainedNanos = -1;
                long deadline = System.nanoTime() + WAIT.toNanos();
                long seen = 0;
                while (System.nanoTime() < deadline) {
                    long tl = lag(e, ConsumerGroups.TEACHER);
                    long rl = lag(e, ConsumerGroups.TRAINER);
                    maxTeacherLag = Math.max(maxTeacherLag, tl);
                    maxTrainerLag = Math.max(maxTrainerLag, rl);
                    if (tl == 0 && teacherDrainedNanos < 0) {
                        teacherDrainedNanos = System.nanoTime() - start;
                    }
                    seen = newestSeen(store);
                    if (tl == 0 && rl == 0 && seen == PROMPTS) {
                        break;
                    }
                    assertTrue(teacher.isAlive() && trainer.isAlive() && sampler.isAlive(),
                            "every service survives the burst (-XX:+ExitOnOutOfMemoryError would end one)");
                    Thread.sleep(1000);
                }
                long drainedNanos = System.nanoTime() - start;
                assertEquals(PROMPTS, seen, "the newest checkpoint covers every trajectory of the burst; trainer:\n"
                        + trainer.tail(20));
                assertTrue(maxTeacherLag > 0, "the burst made the teacher's lag rise");
                assertEquals(0, lag(e, ConsumerGroups.TEACHER), "teacher lag drained");
                assertEquals(0, lag(e, ConsumerGroups.TRAINER), "trainer lag drained");

                CheckpointManifest last = store.manifest(STUDENT, store.latestVersion(STUDENT).orElseThrow());
                TrainerState state = TrainerState.fromBytes(store.fetchState(last));
                assertEquals(PROMPTS, new HashSet<>(state.appliedTrajectoryIds()).size(), "every trajectory applied");
                assertEquals(PROMPTS, state.appliedTrajectoryIds().size(), "none applied twice");
                clients.close();
                assertEquals(List.of(), clients.failures(), "no failed gRPC call during the burst");

                Map<String, Long> rss = fs.peakRssMiB();
                fig.add(new FaultFigures.Row("burst", PROMPTS + " prompts x 1 sample published at once (in "
                        + FaultFigures.secs(publishedNanos) + ")", PROMPTS + " trajectories",
                        seen + " applied", "0", "0 applied twice", clients.failures().size() + " of "
                        + (clients.successes() + clients.failures().size()) + " gRPC calls",
                        "teacher lag peaked at " + maxTeacherLag + " (trainer " + maxTrainerLag + "); teacher drained "
                        + FaultFigures.secs(teacherDrainedNanos) + ", all trained " + FaultFigures.secs(drainedNanos)
                        + " after the first publish"));
                fig.note("peak RSS (MiB) per service during the burst (all at -Xmx512m): " + rss);
                fig.note("checkpoint versions: " + store.versions(STUDENT));
                for (var r : rss.entrySet()) {
                    assertTrue(r.getValue() < RSS_BOUND_MIB, r.getKey() + " peak RSS " + r.getValue()
                            + " MiB is over the bound of " + RSS_BOUND_MIB + " MiB");
                }
                assertEquals(3, rss.size(), "RSS sampled for all three services: " + rss);
            } finally {
                fig.write("burst");
            }
        }
    }

    private static long newestSeen(CheckpointStore store) {
        try {
            Optional<Long> v = store.latestVersion(STUDENT);
            if (v.isEmpty()) {
                return 0;
            }
            Long seen = store.manifest(STUDENT, v.get()).trajectoriesSeen();
            return seen == null ? 0 : seen;
        } catch (RuntimeException notYet) {
            return 0;
        }
    }

    private static long lag(StackEndpoints e, String group) {
        List<ConsumerLag.PartitionLag> rows = ConsumerLag.describe(e.bootstrapServers(), group, Duration.ofSeconds(10));
        return rows.isEmpty() ? -1 : ConsumerLag.total(rows);
    }

    private static Map<String, String> settings(int grpcPort) {
        Map<String, String> s = PipelineSettings.mixture2d(STUDENT, grpcPort);
        s.put("sfd.teacher.max-active-prompts", "64");
        s.put("sfd.trainer.batch", "256");
        s.put("sfd.trainer.shuffle-window", "1024");
        s.put("sfd.trainer.checkpoint-every-steps", "10");
        return s;
    }
}
