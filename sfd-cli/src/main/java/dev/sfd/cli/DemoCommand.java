package dev.sfd.cli;

import dev.sfd.pipeline.TeacherSource;
import dev.sfd.cli.pipeline.CheckpointPublisher;
import dev.sfd.cli.pipeline.DeadLetters;
import dev.sfd.cli.pipeline.KafkaClients;
import dev.sfd.cli.pipeline.TeacherStage;
import dev.sfd.cli.pipeline.TrainerStage;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.distill.quality.SampleQuality;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.StackEndpoints;
import dev.sfd.stack.StackSettings;
import dev.sfd.stack.TopicSpec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd demo}: the main job end to end on the embedded local stack, with the same code paths
 * the services run. Prompts go to {@code sfd.prompts}; the teacher stage turns them into teacher
 * trajectories on {@code sfd.trajectories}; the trainer stage distils the student from that topic
 * (SFD, Algorithm 2) and publishes the checkpoint to the object store and {@code sfd.checkpoints};
 * the sampler stage loads the newest checkpoint from the store (checksum verified) and compares it
 * with the teacher's own solvers at the same NFE.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the main job end to end on the embedded local stack: prompts -> teacher trajectories "
                + "-> SFD student -> checkpoint -> few-step sampling and a quality table.")
final class DemoCommand implements Callable<Integer> {

    private static final String TEACHER_GROUP = "sfd-teacher";
    private static final String TRAINER_GROUP = "sfd-student-trainer";

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = ".sfd/demo", description = "Working directory of the demo stack.")
    Path dataDir;

    @Option(names = "--count", defaultValue = "4096", description = "Trajectories per prompt (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--nfe-set", split = ",", defaultValue = "2", description = "Student NFE to train (default ${DEFAULT-VALUE}).")
    List<Integer> nfe;

    @Option(names = "--batch", defaultValue = "64", description = "Trajectories per training batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--solver", defaultValue = "dpm++2m", description = "Teacher solver (default ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--k", defaultValue = "8", description = "Teacher sub-steps per student step (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--samples", defaultValue = "2000", description = "Evaluation samples per sampler (default ${DEFAULT-VALUE}).")
    int samples;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        TeacherSource teacher = TeacherSource.resolve("mixture2d");
        TeacherInfo info = teacher.info();
        SfdConfig config = SfdConfig.builder(ScheduleSpec.polynomial(info.tMin(), info.tMax())).solver(solver).k(k)
                .nfeCounts(nfe).batch(batch).learningRate(lr).budget((long) count * Mixture2d.ring().modes().size())
                .seed(0).threads(1).progress(false).build();
        deleteRecursively(dataDir); // a fresh stack: earlier runs' topics must not leak into this one
        try (LocalStack stack = LocalStack.start(StackSettings.ephemeral(dataDir, 3))) {
            StackEndpoints e = stack.endpoints();
            LocalStackCommand.printEndpoints(out, e, Duration.ofNanos(System.nanoTime() - t0));
            step(out, "1/5 prompts", publishPrompts(e.bootstrapServers()));

            long t1 = System.nanoTime();
            TeacherStage.Stats teacherStats;
            try (NoiseModel model = teacher.open(1);
                    TeacherStage stage = new TeacherStage(e.bootstrapServers(), TEACHER_GROUP, model, info, config)) {
                teacherStats = stage.runUntilIdle(Duration.ofSeconds(3));
            }
            step(out, "2/5 teacher", String.format(Locale.ROOT,
                    "%d prompts -> %d trajectories (%d segment records, %d batched teacher calls, %s K=%d) in %.1f s; "
                            + "%d bad prompt record(s) dead-lettered", teacherStats.prompts(), teacherStats.trajectories(),
                    teacherStats.records(), teacherStats.teacherCalls(), solver, k, seconds(t1), teacherStats.rejected()));

            long t2 = System.nanoTime();
            DistillationResult result;
            TrainerStage.Stats trainerStats;
            StudentFromTeacher.StudentGraph student = StudentFromTeacher.build(teacher.model(), info.timeEmbedding(),
                    info.timeEmbeddingWidth(), 0);
            try (SfdStudentTrainer trainer = new SfdStudentTrainer(info, student, config);
                    TrainerStage stage = new TrainerStage(e.bootstrapServers(), TRAINER_GROUP, trainer, batch,
                            32 * batch, 0)) {
                trainerStats = stage.runUntil(config.budget(), Duration.ofSeconds(10));
                result = trainer.result(teacherStats.teacherCalls(), seconds(t2));
            }
            step(out, "3/5 trainer", String.format(Locale.ROOT,
                    "SFD on %d trajectories from Kafka, N %s (NFE %s), %d batches, %d Adam steps in %.1f s; "
                            + "loss %.4f -> %.4f", trainerStats.trajectories(), config.stepCounts(), nfe,
                    trainerStats.batches(), result.optimizerSteps(), seconds(t2), result.firstLoss(),
                    trainerStats.lastLoss()));
            printLag(out, e.bootstrapServers());

            ObjectStoreSettings s3 = new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(), null);
            CheckpointManifest manifest;
            try (CheckpointStore store = new CheckpointStore(s3);
                    KafkaProducer<String, byte[]> producer = KafkaClients.bytesProducer(e.bootstrapServers())) {
                manifest = CheckpointPublisher.publish(store, producer, "mixture2d-demo", result, Map.of());
            }
            step(out, "4/5 checkpoint", String.format(Locale.ROOT, "s3://%s/%s (%d bytes, sha256 %s…), event on %s",
                    e.bucket(), manifest.objectKey(), manifest.bytes(), manifest.sha256().substring(0, 12),
                    TopicSpec.CHECKPOINTS));

            long t4 = System.nanoTime();
            QualityReport report = sampleNewest(s3, teacher, "mixture2d-demo");
            step(out, "5/5 sampler", String.format(Locale.ROOT,
                    "loaded the newest checkpoint from the store (sha256 verified), sampled and evaluated in %.1f s", seconds(t4)));
            out.print(report.format());
            printDeadLetter(out, e.bootstrapServers());
            stack.checkHealthy();
            out.printf(Locale.ROOT, "Demo finished in %.1f s; stopping the stack.%n", seconds(t0));
            out.flush();
        }
        return 0;
    }

    private String publishPrompts(String bootstrap) throws Exception {
        List<String> prompts = new ArrayList<>();
        Mixture2d.ring().modes().forEach(m -> prompts.add(m.name()));
        try (KafkaProducer<String, byte[]> producer = KafkaClients.bytesProducer(bootstrap)) {
            for (int i = 0; i < prompts.size(); i++) {
                PromptRequest r = new PromptRequest("demo-" + i, prompts.get(i), count, 1_000_000L * (i + 1));
                producer.send(new ProducerRecord<>(TopicSpec.PROMPTS, r.id(), r.toJson().getBytes(StandardCharsets.UTF_8)));
            }
            String bad = "{\"id\":\"demo-bad\",\"prompt\":\"north\",\"count\":0}";
            producer.send(new ProducerRecord<>(TopicSpec.PROMPTS, "demo-bad", bad.getBytes(StandardCharsets.UTF_8))).get();
        }
        return prompts.size() + " prompt records (" + String.join(", ", prompts) + "; " + count
                + " trajectories each) and 1 invalid record to " + TopicSpec.PROMPTS;
    }

    private QualityReport sampleNewest(ObjectStoreSettings s3, TeacherSource teacher, String name) throws Exception {
        Path file;
        try (CheckpointStore store = new CheckpointStore(s3)) {
            long version = store.latestVersion(name).orElseThrow();
            byte[] onnx = store.fetch(store.manifest(name, version));
            Files.createDirectories(dataDir);
            file = dataDir.resolve(name + "-v" + version + ".onnx");
            Files.write(file, onnx);
        }
        StudentCheckpoint cp = StudentCheckpoint.load(file);
        SampleQuality quality = EvaluateCommand.qualityFor(cp.metadata().dataset(), 1);
        try (NoiseModel t = teacher.open(1); StudentSampler sampler = new StudentSampler(cp, SessionConfig.cpu(1))) {
            return new QualityEvaluator(cp.metadata().dataset(), t, sampler, quality).samples(samples).highNfe(64)
                    .evaluate(nfe);
        }
    }

    private static void printLag(PrintWriter out, String bootstrap) {
        for (String group : List.of(TEACHER_GROUP, TRAINER_GROUP)) {
            LagCommand.print(out, group, ConsumerLag.describe(bootstrap, group, Duration.ofSeconds(10)));
        }
    }

    private static void printDeadLetter(PrintWriter out, String bootstrap) {
        try (KafkaConsumer<String, byte[]> dlq = KafkaClients.bytesConsumer(bootstrap, "sfd-demo-dlq-reader")) {
            dlq.subscribe(List.of(TopicSpec.PROMPTS_DLQ));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(300))) {
                    out.printf("dead letter on %s: key %s, reason: %s%n", TopicSpec.PROMPTS_DLQ, r.key(),
                            new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
                    return;
                }
            }
        }
    }

    private static void step(PrintWriter out, String what, String detail) {
        out.printf("[%s] %s%n", what, detail);
        out.flush();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
