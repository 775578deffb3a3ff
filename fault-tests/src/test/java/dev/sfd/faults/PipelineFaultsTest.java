package dev.sfd.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.cli.demo.TopicReader;
import dev.sfd.cli.services.PromptPublisher;
import dev.sfd.contract.ConsumerGroups;
import dev.sfd.contract.Topics;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.store.TrainerState;
import dev.sfd.pipeline.teacher.TrajectoryIds;
import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.ServiceProcess;
import dev.sfd.stack.StackEndpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running system under faults, on the local stack (mixture2d, small sizes): the three services
 * as child JVMs, 8 gRPC clients calling the sampler throughout, and in turn
 * <ol>
 *   <li>a broker restart (same data) with prompts published before, during and after it, while a
 *       second teacher replica joins and then leaves;</li>
 *   <li>a corrupt checkpoint published (manifest + event) among the trainer's versions;</li>
 *   <li>trainer SIGKILLs at seeded random moments, each followed by a restart;</li>
 *   <li>an S3 outage (server stopped, then started on the same data).</li>
 * </ol>
 * (The burst of the issue, 10 000 prompts, is {@link BurstTest}: a stack of its own, sized for it.)
 * Then: every accepted prompt has all its trajectories on the topic; the trainer's final lineage
 * applied exactly the trajectory ids on the topic, each once; every announced version is complete
 * and verifies; each restart resumed from the newest complete version; the corrupt version was
 * refused and never served; zero failed gRPC calls; nothing dead-lettered; and the S3 secret
 * appears in no log, metric, object, event or dead letter of the run. Prints the figures table.
 */
@Tag("faults")
class PipelineFaultsTest {

    private static final String STUDENT = "faults-student";
    private static final int COUNT = 16;
    private static final int PER_PHASE = 6;
    private static final int KILLS = 5;
    private static final long SEED = 14;
    private static final Duration WAIT = Duration.ofMinutes(6);

    private final List<String> modes = Mixture2d.ring().modes().stream().map(Mixture2d.Mode::name).toList();
    private final Map<String, Integer> accepted = new LinkedHashMap<>(); // prompt id -> count

    @Test
    void survivesBrokerRestartReplicasTrainerKillsCorruptCheckpointAndOutage(@TempDir Path dir) throws Exception {
        FaultFigures fig = new FaultFigures("Pipeline faults (PipelineFaultsTest, mixture2d, 2 partitions)");
        Random random = new Random(SEED);
        try (FaultStack fs = new FaultStack(dir, 2)) {
            int grpcPort = ServiceProcess.freePort();
            Map<String, String> config = fs.config(settings(grpcPort));
            StackEndpoints e = fs.stack().endpoints();
            ObjectStoreSettings s3 = new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(),
                    e.bucket(), null);
            Managed teacher = fs.managed("teacher-service", "teacher-1", "teacher-service", config);
            Managed trainer = fs.managed("student-trainer", "trainer", "student-trainer", config);
            Managed sampler = fs.managed("sampler-service", "sampler", "sampler-service", config);
            teacher.current().awaitReady(WAIT);
            trainer.current().awaitReady(WAIT);
            sampler.current().awaitLive(WAIT);
            try (KafkaProducer<String, String> producer = PipelineSettings.promptProducer(e.bootstrapServers());
                    CheckpointStore store = new CheckpointStore(s3);
                    SamplerClients clients = new SamplerClients("127.0.0.1:" + grpcPort, 8, 250)) {

                // 1. broker restart mid-stream; a second teacher replica joins before it and leaves after it
                publish(producer, "before", PER_PHASE, COUNT);
                Managed teacher2 = fs.managed("teacher-service", "teacher-2", "teacher-service (replica 2)",
                        config);
                List<Future<RecordMetadata>> during = new ArrayList<>();
                Thread publisher = new Thread(() -> {
                    for (int i = 0; i < PER_PHASE; i++) {
                        during.add(send(producer, "during-" + i, COUNT));
                        sleep(700);
                    }
                });
                long restartStart = System.nanoTime();
                publisher.start();
                fs.stack().restartKafka();
                long restartNanos = System.nanoTime() - restartStart;
                publisher.join();
                for (int i = 0; i < during.size(); i++) {
                    during.get(i).get(); // acknowledged: accepted
                    accepted.put("during-" + i, COUNT);
                }
                teacher2.current().awaitReady(WAIT);
                publish(producer, "after", PER_PHASE, COUNT);
                sleep(3000);
                teacher2.stop(); // leaves the group (graceful) while prompts are in progress
                long drainStart = System.nanoTime();
                awaitTrained(store, e, trainer);
                fig.add(new FaultFigures.Row("broker restart mid-stream + teacher replica join/leave",
                        "broker stopped (SIGTERM) and restarted on its data while prompts were published; "
                                + "replica 2 joined before, left after",
                        accepted.size() + " prompts / " + expected() + " trajectories",
                        "see totals", "0", "see totals", "0 of " + clients.successes(),
                        "broker back in " + FaultFigures.secs(restartNanos) + "; drained "
                                + FaultFigures.secs(System.nanoTime() - drainStart) + " after the last prompt"));

                // 2. a corrupt checkpoint: newest version copied as a new version with a damaged ONNX file
                long corrupt = publishCorruptVersion(store, producer, STUDENT);
                awaitTrue("sampler refuses the corrupt v" + corrupt, () -> Http.metric(
                        Http.get(sampler.current().httpPort(), "/q/metrics"), "sfd_sampler_reloads_total", "refused")
                        >= 1, sampler);

                // 3. trainer SIGKILLs at random moments, each followed by a restart
                List<String> kills = new ArrayList<>();
                for (int k = 0; k < KILLS; k++) {
                    publish(producer, "kill" + k, 2, COUNT);
                    long delay = 500 + random.nextInt(4000);
                    sleep(delay);
                    long killedAt = System.nanoTime();
                    trainer.killAndRestart();
                    long newest = newestComplete(store, corrupt);
                    trainer.current().awaitReady(WAIT);
                    long resumedFrom = lastResumedVersion(trainer.current().log());
                    assertEquals(newest, resumedFrom, "restart " + (k + 1) + " resumed from the newest complete "
                            + "version (the corrupt v" + corrupt + " skipped)");
                    kills.add(delay + " ms -> resumed v" + resumedFrom + " (ready after "
                            + FaultFigures.secs(System.nanoTime() - killedAt) + ")");
                }
                awaitTrained(store, e, trainer);
                fig.add(new FaultFigures.Row("trainer SIGKILL x" + KILLS, "SIGKILL " + kills.size()
                        + " times at seeded random delays after publishing (seed " + SEED + "): " + kills,
                        "2 prompts per kill", "see totals", "0", "0 applied twice", "0", "each restart ready, "
                        + "resumed from the newest complete version"));

                // 4. S3 outage: sampler keeps serving, trainer readiness reports it, recovery is automatic
                long callsBefore = clients.successes();
                fs.stack().stopS3();
                long outageStart = System.nanoTime();
                publish(producer, "outage", 2, COUNT);
                awaitTrue("trainer readiness reports the object-store outage",
                        () -> trainer.current().readiness().contains("DOWN"), trainer);
                String readinessDuringOutage = trainer.current().readiness();
                sleep(5000);
                long servedDuringOutage = clients.successes() - callsBefore;
                fs.stack().startS3();
                long outageNanos = System.nanoTime() - outageStart;
                long recoverStart = System.nanoTime();
                trainer.current().awaitReady(WAIT);
                long recoverNanos = System.nanoTime() - recoverStart;
                assertTrue(servedDuringOutage > 0, "the sampler served during the outage");
                awaitTrained(store, e, trainer);
                fig.add(new FaultFigures.Row("S3 outage", "S3 server stopped for "
                        + FaultFigures.secs(outageNanos) + " while 2 prompts were trained", "2 prompts",
                        "see totals", "0", "0", "0 (" + servedDuringOutage + " calls served during it)",
                        "trainer ready again " + FaultFigures.secs(recoverNanos) + " after S3 returned"));
                fig.note("trainer readiness during the S3 outage: `" + readinessDuringOutage.replace('\n', ' ')
                        + "`");

                clients.close();
                verifyOutcome(fig, e, store, clients, corrupt);
                scanForSecret(fig, fs, store, List.of(teacher, trainer, sampler));
            } finally {
                fig.note("peak RSS (MiB) per service over the run: " + fs.peakRssMiB());
                fig.note("liveness restarts by the supervisor (what Kubernetes' liveness probe does): "
                        + fs.livenessRestarts());
                fig.write("pipeline-faults");
            }
        }
    }

    private void verifyOutcome(FaultFigures fig, StackEndpoints e, CheckpointStore store, SamplerClients clients,
                               long corrupt) throws Exception {
        // trajectories on the topic: every accepted prompt complete
        Map<String, Integer> onTopic = new HashMap<>(); // trajectory id -> copies on the topic
        for (ConsumerRecord<String, byte[]> r : readAll(e, Topics.TRAJECTORIES)) {
            TrajectoryRows.ids(r).forEach(id -> onTopic.merge(id, 1, Integer::sum));
        }
        Map<String, Set<Integer>> indices = new HashMap<>();
        onTopic.keySet().forEach(id -> indices.computeIfAbsent(TrajectoryIds.parse(id).promptId(),
                p -> new TreeSet<>()).add(TrajectoryIds.parse(id).index()));
        List<String> incomplete = new ArrayList<>();
        accepted.forEach((id, count) -> {
            if (indices.getOrDefault(id, Set.of()).size() != count) {
                incomplete.add(id + " has " + indices.getOrDefault(id, Set.of()).size() + "/" + count);
            }
        });
        assertEquals(List.of(), incomplete, "every accepted prompt yields all its trajectories");
        assertEquals(accepted.keySet(), indices.keySet(), "no trajectory of a prompt that was not sent");
        int duplicatesOnTopic = onTopic.values().stream().mapToInt(c -> c - 1).sum();

        // the trainer's lineage: exactly those ids, each once
        CheckpointManifest last = store.manifest(STUDENT, newestComplete(store, corrupt));
        TrainerState state = TrainerState.fromBytes(store.fetchState(last));
        Set<String> applied = new HashSet<>(state.appliedTrajectoryIds());
        assertEquals(state.appliedTrajectoryIds().size(), applied.size(), "no trajectory applied twice in the lineage");
        assertEquals(onTopic.keySet(), applied, "the lineage applied every trajectory on the topic");
        assertEquals(0, lag(e, ConsumerGroups.TRAINER), "nothing pending");

        // dead letters: none (every input was good)
        assertEquals(0, readAll(e, Topics.PROMPTS_DLQ).size(), "no prompt dead-lettered");
        assertEquals(0, readAll(e, Topics.TRAJECTORIES_DLQ).size(), "no trajectory dead-lettered");

        // every announced version of the trainer is complete and verifies; the corrupt one was never served
        List<Long> announced = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(e, Topics.CHECKPOINTS)) {
            CheckpointManifest m = CheckpointManifest.fromJson(new String(r.value(), StandardCharsets.UTF_8));
            if (m.version() == corrupt) {
                continue;
            }
            announced.add(m.version());
            CheckpointManifest stored = store.manifest(STUDENT, m.version());
            assertEquals(stored.sha256(), CheckpointStore.sha256(store.fetch(stored)), "v" + m.version());
            assertEquals(stored.stateSha256(), CheckpointStore.sha256(store.fetchState(stored)), "v" + m.version());
        }
        assertTrue(announced.size() >= 3, "versions announced: " + announced);
        Map<Long, Long> served = clients.callsPerVersion();
        assertFalse(served.containsKey(corrupt), "the corrupt version was never served: " + served);
        assertTrue(announced.containsAll(served.keySet()), "every served version was announced: " + served);
        assertTrue(served.size() >= 3, "the clients saw several hot swaps: " + served);
        assertEquals(List.of(), clients.failures(), "zero failed gRPC calls");
        assertFalse(clients.wentBackwards(), "served versions never went backwards");

        int in = accepted.values().stream().mapToInt(Integer::intValue).sum();
        fig.add(new FaultFigures.Row("**totals**", accepted.size() + " prompts accepted", in + " trajectories",
                onTopic.size() + " on the topic, " + applied.size() + " applied",
                Integer.toString(in - applied.size()), duplicatesOnTopic + " re-sent on the topic (dropped by id), "
                + "0 applied twice", clients.failures().size() + " of " + (clients.successes()
                + clients.failures().size()) + " gRPC calls (8 clients; " + served.size() + " versions served, "
                + clients.beforeFirstModel() + " UNAVAILABLE before the first model)", "pending: "
                + lag(e, ConsumerGroups.TRAINER)));
        fig.note("versions announced: " + announced + "; corrupt v" + corrupt + " refused by the sampler and "
                + "skipped by every trainer restart");
    }

    private void scanForSecret(FaultFigures fig, FaultStack fs, CheckpointStore store, List<Managed> services)
            throws Exception {
        SecretScan scan = new SecretScan(FaultStack.SECRET);
        for (Managed m : services) {
            ServiceProcess p = m.current();
            if (p.isAlive()) {
                scan.text(p.name() + " /q/metrics", Http.get(p.httpPort(), "/q/metrics"));
                scan.text(p.name() + " /q/health", Http.get(p.httpPort(), "/q/health"));
            }
        }
        for (Path log : fs.logFiles()) {
            scan.file(log);
        }
        for (long v : store.versions(STUDENT)) {
            String prefix = CheckpointStore.prefix(STUDENT, v);
            for (String name : List.of(CheckpointStore.MANIFEST_OBJECT, CheckpointStore.STUDENT_OBJECT,
                    TrainerState.OBJECT_NAME)) {
                if (store.exists(prefix + name)) {
                    scan.bytes(prefix + name, store.getObject(prefix + name));
                }
            }
        }
        String lease = CheckpointStore.studentPrefix(STUDENT) + "writer-lease.json";
        if (store.exists(lease)) {
            scan.bytes(lease, store.getObject(lease));
        }
        StackEndpoints e = fs.stack().endpoints();
        for (String topic : List.of(Topics.CHECKPOINTS, Topics.PROMPTS_DLQ, Topics.TRAJECTORIES_DLQ)) {
            for (ConsumerRecord<String, byte[]> r : readAll(e, topic)) {
                scan.bytes(topic + "@" + r.offset(), r.value());
                for (Header h : r.headers()) {
                    scan.bytes(topic + "@" + r.offset() + " header " + h.key(), h.value());
                }
            }
        }
        assertTrue(scan.scanned() > 10, "the scan looked at the run's outputs: " + scan.scanned());
        assertEquals(List.of(), scan.leaks(), "the S3 secret appears nowhere");
        fig.note("secret scan: " + scan.scanned() + " logs, metrics pages, objects, events and dead letters "
                + "searched for the S3 secret (plain, Base64, hex): " + scan.leaks().size() + " hits");
    }

    /** Copies the newest complete version as version + 1000 with a damaged ONNX file, and announces it. */
    private static long publishCorruptVersion(CheckpointStore store, KafkaProducer<String, String> producer,
                                              String student) throws Exception {
        long v = store.latestVersion(student).orElseThrow();
        CheckpointManifest good = store.manifest(student, v);
        long bad = v + 1000;
        byte[] onnx = store.fetch(good).clone();
        onnx[onnx.length / 2] ^= 0x5a;
        String prefix = CheckpointStore.prefix(student, bad);
        store.putObject(prefix + CheckpointStore.STUDENT_OBJECT, onnx, "application/octet-stream");
        store.putObject(prefix + TrainerState.OBJECT_NAME, store.fetchState(good), "application/octet-stream");
        CheckpointManifest m = good.withVersion(bad).withKeys(prefix + CheckpointStore.STUDENT_OBJECT,
                prefix + TrainerState.OBJECT_NAME);
        store.putObject(prefix + CheckpointStore.MANIFEST_OBJECT, m.toJson().getBytes(StandardCharsets.UTF_8),
                "application/json");
        producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, student, m.toJson())).get();
        return bad;
    }

    /** The newest version whose files match its manifest (the corrupt one excluded by that check). */
    private static long newestComplete(CheckpointStore store, long corrupt) {
        List<Long> versions = new ArrayList<>(store.versions(STUDENT));
        for (int i = versions.size() - 1; i >= 0; i--) {
            CheckpointManifest m = store.manifest(STUDENT, versions.get(i));
            try {
                if (m.sha256().equals(CheckpointStore.sha256(store.fetch(m)))) {
                    return m.version();
                }
            } catch (RuntimeException damaged) {
                // a damaged version is what the trainer skips too
            }
        }
        return -1;
    }

    private static long lastResumedVersion(Path log) throws Exception {
        Matcher m = Pattern.compile("resumed " + Pattern.quote(STUDENT) + " from v(\\d+)")
                .matcher(Files.readString(log));
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    private int expected() {
        return accepted.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Waits until the teacher and trainer are caught up and the newest version covers every accepted trajectory. */
    private void awaitTrained(CheckpointStore store, StackEndpoints e, Managed trainer) throws Exception {
        int want = expected();
        awaitTrue("the trainer's newest version covers all " + want + " accepted trajectories", () -> {
            if (lag(e, ConsumerGroups.TEACHER) != 0 || lag(e, ConsumerGroups.TRAINER) != 0) {
                return false;
            }
            Optional<Long> v = store.latestVersion(STUDENT);
            if (v.isEmpty()) {
                return false;
            }
            Long seen = store.manifest(STUDENT, v.get()).trajectoriesSeen();
            return seen != null && seen == want;
        }, trainer);
    }

    private static void awaitTrue(String what, BooleanSupplier condition, Managed watched) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // e.g. the store is being restarted: try again
            }
            sleep(1000);
        }
        throw new AssertionError("not within " + WAIT + ": " + what + "; last lines of " + watched.name() + ":\n"
                + watched.current().tail(30));
    }

    private void publish(KafkaProducer<String, String> producer, String prefix, int prompts, int count)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < prompts; i++) {
            sent.add(send(producer, prefix + "-" + i, count));
        }
        for (int i = 0; i < prompts; i++) {
            sent.get(i).get();
            accepted.put(prefix + "-" + i, count);
        }
    }

    private Future<RecordMetadata> send(KafkaProducer<String, String> producer, String id, int count) {
        String mode = modes.get(Math.floorMod(id.hashCode(), modes.size()));
        return producer.send(new ProducerRecord<>(Topics.PROMPTS, id,
                PromptPublisher.record(id, mode, count, (long) Math.floorMod(id.hashCode(), 1_000_000))));
    }

    private static long lag(StackEndpoints e, String group) {
        List<ConsumerLag.PartitionLag> rows = ConsumerLag.describe(e.bootstrapServers(), group, Duration.ofSeconds(10));
        return rows.isEmpty() ? -1 : ConsumerLag.total(rows);
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(StackEndpoints e, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(e.bootstrapServers(), topic)) {
            int empty = 0;
            while (empty < 3) {
                List<ConsumerRecord<String, byte[]>> got = reader.poll(Duration.ofSeconds(2));
                out.addAll(got);
                empty = got.isEmpty() ? empty + 1 : 0;
            }
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> settings(int grpcPort) {
        Map<String, String> s = PipelineSettings.mixture2d(STUDENT, grpcPort);
        s.put("sfd.teacher.max-active-prompts", "8");
        s.put("sfd.trainer.batch", "32");
        s.put("sfd.trainer.shuffle-window", "64");
        s.put("sfd.trainer.checkpoint-every-steps", "3");
        s.put("sfd.trainer.lease-ttl", "6s");
        s.put("sfd.trainer.retry-max", "3s");
        return s;
    }
}
