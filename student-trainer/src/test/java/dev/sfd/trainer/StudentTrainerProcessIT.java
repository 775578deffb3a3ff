package dev.sfd.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.contract.DeadLetterHeaders;
import dev.sfd.contract.Topics;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.quality.MixtureQuality;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.store.TrainerState;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import dev.sfd.stack.S3Outage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged service (quarkus-run.jar) as a child process on the real local stack: real
 * mixture2d trajectories in, corrupt records dead-lettered with their reason, checkpoints in the
 * bucket (sha256-verified) with events on sfd.checkpoints; a SIGKILL after the first checkpoint
 * and a restart that resumes from it (every trajectory applied exactly once in the lineage); an
 * S3 outage that delays a checkpoint and loses nothing; a student that beats the teacher's Euler
 * and DPM-Solver++(3M) at NFE 2.
 */
@ExtendWith(LocalStackExtension.class)
class StudentTrainerProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final int PART = 128;

    @Test
    void trainsCheckpointsResumesAfterSigkillAndSurvivesAnS3Outage(LocalStack stack) throws Exception {
        String bootstrap = stack.bootstrapServers();
        String student = "it-mixture2d";
        var e = stack.endpoints();
        ObjectStoreSettings s3 = new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(), null);
        List<TrajectoryBlock> part1 = TrajectoryProducer.blocks(10_000, PART);
        List<TrajectoryBlock> part2 = TrajectoryProducer.blocks(20_000, PART);
        List<TrajectoryBlock> part3 = TrajectoryProducer.blocks(30_000, PART);
        Set<String> produced = new HashSet<>();
        for (List<TrajectoryBlock> p : List.of(part1, part2, part3)) {
            produced.addAll(TrajectoryProducer.ids(p));
        }
        Map<String, byte[]> corrupt = corruptRecords();
        try (KafkaProducer<String, byte[]> producer = TrajectoryProducer.producer(bootstrap)) {
            for (var c : corrupt.entrySet()) {
                TrajectoryProducer.sendRaw(producer, Topics.TRAJECTORIES, c.getKey(), c.getValue());
            }
            TrajectoryProducer.send(producer, Topics.TRAJECTORIES, part1);
        }

        Service a = Service.start(stack, student, "a");
        CheckpointManifest first;
        try (CheckpointStore store = new CheckpointStore(s3)) {
            first = awaitManifest(store, student, m -> m.version() >= 1, a);
        } finally {
            a.kill(); // SIGKILL: no shutdown hook, no goodbye
        }
        assertTrue(first.trajectoriesSeen() > 0 && first.trajectoriesSeen() <= PART, first.toJson());

        try (KafkaProducer<String, byte[]> producer = TrajectoryProducer.producer(bootstrap)) {
            TrajectoryProducer.send(producer, Topics.TRAJECTORIES, part2);
        }
        long restarted = System.nanoTime();
        Service b = Service.start(stack, student, "b");
        CheckpointManifest last;
        try (CheckpointStore store = new CheckpointStore(s3)) {
            awaitLog(b, "resumed " + student + " from v");
            System.out.printf("restart to resumed after SIGKILL: %.1f s (default lease TTL 30 s)%n",
                    (System.nanoTime() - restarted) / 1e9);
            // issue 27, defect 7: the killed trainer is provably gone (same machine, its pid dead), so
            // its fresh lease is taken at once, and the log says so, instead of ~36 s of silent waiting
            assertTrue(b.log().contains("its holder is gone: no process has pid"), b.tail());
            awaitManifest(store, student, m -> m.trajectoriesSeen() == 2L * PART, b);
            assertTrue(b.log().contains("resumed " + student + " from v"), "restart resumed from a checkpoint");

            S3Outage.stop(stack);
            try (KafkaProducer<String, byte[]> producer = TrajectoryProducer.producer(bootstrap)) {
                TrajectoryProducer.send(producer, Topics.TRAJECTORIES, part3);
            }
            awaitLog(b, "(training goes on)"); // the checkpoint of part 3 waits for the store (lease check, upload)
            S3Outage.start(stack);
            last = awaitManifest(store, student, m -> m.trajectoriesSeen() == 3L * PART, b);

            List<Long> versions = store.versions(student);
            assertTrue(versions.size() >= 2, "versions " + versions);
            for (long v : versions) { // each verified against its manifest's size and sha256
                CheckpointManifest m = store.manifest(student, v);
                assertEquals(m.sha256(), CheckpointStore.sha256(store.fetch(m)));
                assertEquals(m.stateSha256(), CheckpointStore.sha256(store.fetchState(m)));
            }
            TrainerState state = TrainerState.fromBytes(store.fetchState(last));
            assertEquals(3 * PART, state.appliedTrajectoryIds().size());
            assertEquals(produced, new HashSet<>(state.appliedTrajectoryIds()),
                    "every produced trajectory applied once in the lineage: none twice, none skipped");
            assertEquals(3L * PART, state.seen());

            List<CheckpointManifest> events = checkpointEvents(bootstrap, student);
            assertTrue(events.size() >= 2, "events " + events.size());
            for (CheckpointManifest ev : events) {
                assertTrue(store.versions(student).contains(ev.version()) || ev.version() < versions.get(0),
                        "announced v" + ev.version() + " was stored");
            }
            assertEquals(last.version(), events.get(events.size() - 1).version());

            Map<String, String> reasons = deadLetters(bootstrap, corrupt.size());
            for (String code : List.of("CHECKSUM_MISMATCH", "BAD_MAGIC", "UNSUPPORTED_VERSION", "UNKNOWN_DTYPE",
                    "SHAPE_MISMATCH", "NON_FINITE_VALUE", "TIMESTAMP_MISMATCH", "TEACHER_MISMATCH")) {
                assertTrue(reasons.values().stream().anyMatch(r -> r.startsWith("[" + code + "]")),
                        code + " missing from the dead letters " + reasons);
            }

            Path file = Files.createTempFile("it-student", ".onnx");
            Files.write(file, store.fetch(last));
            QualityReport report = quality(file);
            System.out.println(report.format());
            double fd = report.value(2, QualityReport.STUDENT, "FD");
            assertTrue(fd < report.value(2, "euler", "FD"), report.format());
            assertTrue(fd < report.value(2, "dpm++3m", "FD"), report.format());

            // the same trajectories trained in process, no Kafka: SfdStudentTrainer in production order and in
            // four shuffled orders, and the trainer stage with the service's shuffle buffer. Their spread is
            // the noise of batch composition, which is all that differs from the Kafka run.
            List<TrajectoryBlock> all = new ArrayList<>(part1);
            all.addAll(part2);
            all.addAll(part3);
            List<Double> inProcess = new ArrayList<>();
            for (long seed = -1; seed <= 4; seed++) {
                inProcess.add(quality(seed != 0 ? InProcess.train(all, seed) : InProcess.trainStage(all))
                        .value(2, QualityReport.STUDENT, "FD"));
            }
            double mean = inProcess.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double std = Math.sqrt(inProcess.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum()
                    / (inProcess.size() - 1));
            System.out.printf("class-conditional FD at NFE 2 on the same %d trajectories: from Kafka %.4f; in process "
                    + "%s (mean %.4f, std %.4f); Kafka - mean = %+.4f = %+.1f std%n", 3 * PART, fd, inProcess, mean,
                    std, fd - mean, (fd - mean) / std);
            assertTrue(fd <= mean + 3 * std, "the student from Kafka matches in-process SFD on the same "
                    + "trajectories within noise: " + fd + " vs " + inProcess);
        } finally {
            b.stop();
        }
    }

    private static QualityReport quality(Path student) throws Exception {
        try (NoiseModel t = TrajectoryProducer.TEACHER.open(1);
                StudentSampler sampler = new StudentSampler(StudentCheckpoint.load(student), SessionConfig.cpu(1))) {
            return new QualityEvaluator("mixture2d", t, sampler, new MixtureQuality(Mixture2d.ring().mixture()))
                    .samples(1000).highNfe(32).solvers(List.of("euler", "dpm++3m")).evaluate(List.of(2));
        }
    }

    // ---- the bad-block classes of the issue, each as one record ----

    private static Map<String, byte[]> corruptRecords() {
        TrajectoryBlock block = TrajectoryProducer.blocks(90_000, 4).get(0);
        String id = block.blockId();
        byte[] good = TrajectoryBlockCodec.encode(block);
        Map<String, byte[]> out = new TreeMap<>();
        byte[] checksum = good.clone();
        checksum[good.length - 10] ^= 1;
        out.put(id + "-checksum", checksum);
        byte[] magic = good.clone();
        magic[0] = 'X';
        out.put(id + "-magic", magic);
        byte[] version = good.clone();
        version[4] = 9;
        out.put(id + "-version", reseal(version));
        byte[] dtype = good.clone();
        dtype[6] = 7;
        out.put(id + "-dtype", reseal(dtype));
        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(nan.length - 8, Float.NaN);
        out.put(id + "-nan", reseal(nan));
        byte[] shape = good.clone();
        ByteBuffer.wrap(shape).order(ByteOrder.LITTLE_ENDIAN).putInt(57, 3); // sample shape [3]: the points disagree
        out.put(id + "-shape", reseal(shape));
        double[] t = block.timestamps().clone();
        t[1] *= 1.5;
        TrajectoryBlock time = new TrajectoryBlock(block.teacherId(), block.teacherSha256(), block.solver(), block.k(),
                block.schedule(), t, "time", "", "", block.sampleShape(), block.sampleIndex(), block.seed(),
                block.label(), block.points());
        out.put(time.blockId(), TrajectoryBlockCodec.encode(time));
        TrajectoryBlock other = new TrajectoryBlock("someone-else", "0".repeat(64), block.solver(), block.k(),
                block.schedule(), block.timestamps(), "teacher", "", "", block.sampleShape(), block.sampleIndex(),
                block.seed(), block.label(), block.points());
        out.put(other.blockId(), TrajectoryBlockCodec.encode(other));
        return out; // the byte-level classes fail decoding before the key is compared
    }

    private static byte[] reseal(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    // ---- observing ----

    private static CheckpointManifest awaitManifest(CheckpointStore store, String student,
                                                    Predicate<CheckpointManifest> wanted, Service s) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            s.requireAlive();
            try {
                List<Long> versions = store.versions(student);
                for (int i = versions.size() - 1; i >= 0; i--) {
                    CheckpointManifest m = store.manifest(student, versions.get(i));
                    if (wanted.test(m)) {
                        return m;
                    }
                }
            } catch (RuntimeException storeDown) {
                // the store is being restarted
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no wanted checkpoint of " + student + " within " + WAIT + "; service log:\n"
                + s.tail());
    }

    private static void awaitLog(Service s, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            s.requireAlive();
            if (s.log().contains(text)) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("'" + text + "' not logged within " + WAIT + ":\n" + s.tail());
    }

    private static KafkaConsumer<String, byte[]> reader(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<CheckpointManifest> checkpointEvents(String bootstrap, String student) {
        List<CheckpointManifest> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = reader(bootstrap)) {
            c.subscribe(List.of(Topics.CHECKPOINTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && (out.isEmpty() || empty < 3)) {
                var records = c.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (student.equals(r.key())) {
                        out.add(CheckpointManifest.fromJson(new String(r.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, String> deadLetters(String bootstrap, int atLeast) {
        Map<String, String> reasons = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> c = reader(bootstrap)) {
            c.subscribe(List.of(Topics.TRAJECTORIES_DLQ));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && reasons.size() < atLeast) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    reasons.put(new String(r.headers().lastHeader(DeadLetterHeaders.SOURCE).value(),
                            StandardCharsets.UTF_8), new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                            StandardCharsets.UTF_8));
                }
            }
        }
        return reasons;
    }

    /** The packaged service as a child process. */
    record Service(Process process, Path logFile, int port) {

        static Service start(LocalStack stack, String student, String name) throws Exception {
            return start(stack, student, name, List.of());
        }

        /** @param extra more JVM options, after the defaults (a later -D wins) */
        static Service start(LocalStack stack, String student, String name, List<String> extra) throws Exception {
            Path jar = Path.of(System.getProperty("sfd.trainer.jar", "target/quarkus-app/quarkus-run.jar"));
            assertTrue(Files.isRegularFile(jar), "package the service first: " + jar.toAbsolutePath());
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            var e = stack.endpoints();
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-Dquarkus.http.port=" + port,
                    "-Dkafka.bootstrap.servers=" + e.bootstrapServers(),
                    "-Dsfd.s3.endpoint=" + e.s3Endpoint(), "-Dsfd.s3.access-key=" + e.accessKey(),
                    "-Dsfd.s3.secret-key=" + e.secretKey(), "-Dsfd.s3.bucket=" + e.bucket(),
                    "-Dsfd.trainer.student-name=" + student, "-Dsfd.trainer.group-id=it-trainer",
                    "-Dsfd.trainer.budget=100000", "-Dsfd.trainer.batch=32", "-Dsfd.trainer.shuffle-window=64",
                    "-Dsfd.trainer.checkpoint-every-steps=4", "-Dsfd.trainer.checkpoint-every=0s",
                    "-Dsfd.trainer.idle-end=4s", "-Dsfd.trainer.keep-versions=50", // lease TTL: the default
                    "-Dsfd.trainer.retry-initial=300ms", "-Dsfd.trainer.retry-max=2s"));
            cmd.addAll(extra);
            cmd.addAll(List.of("-jar", jar.toString()));
            Path log = Files.createTempFile("student-trainer-" + name, ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("SFD_MODELS_DIR", modelsDir().toString());
            return new Service(pb.start(), log, port);
        }

        static Path modelsDir() {
            for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
                if (Files.isDirectory(d.resolve("models").resolve("teachers"))) {
                    return d.resolve("models");
                }
            }
            throw new IllegalStateException("no models/ directory above " + Path.of("").toAbsolutePath());
        }

        String log() {
            try {
                return Files.readString(logFile, StandardCharsets.UTF_8);
            } catch (Exception ex) {
                return "";
            }
        }

        String tail() {
            String all = log();
            return all.substring(Math.max(0, all.length() - 6000));
        }

        void requireAlive() {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + tail());
            }
        }

        /** One client for every poll (a new HttpClient per call leaves a selector thread behind each time). */
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(5)).build();

        String health() throws Exception {
            return get("/q/health/ready");
        }

        /** GET of one of the service's pages; a request that gets no answer in 10 s fails instead of hanging. */
        String get(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        void kill() throws Exception {
            process.destroyForcibly(); // SIGKILL on Linux
            process.waitFor();
        }

        void stop() throws Exception {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
