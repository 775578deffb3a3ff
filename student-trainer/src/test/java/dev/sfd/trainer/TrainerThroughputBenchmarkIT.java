package dev.sfd.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.distill.DistillRecipe;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.quality.MixtureQuality;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.distill.quality.SampleQuality;
import dev.sfd.core.distill.quality.ShapesQuality;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.pipeline.teacher.BatchPlanner;
import dev.sfd.pipeline.teacher.JobBatch;
import dev.sfd.pipeline.teacher.PromptPlan;
import dev.sfd.pipeline.teacher.PromptValidator;
import dev.sfd.pipeline.teacher.TeacherBatchRunner;
import dev.sfd.pipeline.teacher.TeacherStageSettings;
import dev.sfd.pipeline.trainer.BlockIntake;
import dev.sfd.pipeline.trainer.RecordPosition;
import dev.sfd.pipeline.trainer.TrainingRow;
import dev.sfd.pipeline.trainer.TrajectoryBatcher;
import dev.sfd.pipeline.trainer.TrajectoryExpectation;
import dev.sfd.pipeline.trainer.TrajectoryRecord;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark (not a timed test; excluded from the default build), per teacher (mixture2d, shapes):
 * trajectories/s of the packaged trainer consuming trajectory blocks from Kafka against
 * {@link SfdStudentTrainer} fed the same trajectories in process, made fair: the same recipe on
 * both sides (the teacher's {@code sfd distill} recipe: loss, batch, lr schedule; K = 8, N = 3),
 * the same trajectory count, a JIT warm-up of the same size on both sides, and for the service the
 * whole input (warm-up and measured part) produced before it starts, by a producer created before
 * it; the service's clock runs from the metric showing the warm-up trained to the metric showing
 * everything trained (steady state). Also: the intake ceiling (poll + decode + validate + stack by
 * bulk copy on the real broker, training off) divided by one teacher replica's output (the solver
 * in process), the bytes on the wire per trajectory, and parity: the NFE-2 FD (2 000 samples) of the
 * in-process student and of the service's end-of-input checkpoint, trained on the same trajectories
 * with the same recipe (the service shuffles within one batch; in process they go in order). Run:
 * {@code mvn -B -pl student-trainer -am verify -Pbenchmark -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=TrainerThroughputBenchmarkIT} (sizes: {@code -Dsfd.bench.trajectories.mixture2d=65536
 * -Dsfd.bench.trajectories.shapes=4096}, teachers: {@code -Dsfd.bench.teachers=mixture2d,shapes}).
 */
@Tag("benchmark")
@ExtendWith(LocalStackExtension.class)
class TrainerThroughputBenchmarkIT {

    private static int count(String teacher) {
        return Integer.getInteger("sfd.bench.trajectories." + teacher, teacher.equals("mixture2d") ? 65_536 : 4096);
    }

    private static int warmUp(String teacher) {
        return Integer.getInteger("sfd.bench.warm-up." + teacher, teacher.equals("mixture2d") ? 8192 : 512);
    }

    @Test
    void kafkaAgainstInProcess(LocalStack stack) throws Exception {
        List<String> table = new ArrayList<>();
        table.add("| teacher | batch | trajectories | in process traj/s | from Kafka traj/s | ratio (target >= 0.9) | "
                + "intake ceiling traj/s | one teacher replica traj/s | replicas one trainer keeps up with | "
                + "bytes/trajectory on the wire | NFE-2 FD in process | NFE-2 FD from Kafka | FD ratio (target within 10 %) |");
        table.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String teacher : System.getProperty("sfd.bench.teachers", "mixture2d,shapes").split(",")) {
            table.add(run(stack, teacher));
        }
        System.out.println(String.join("\n", table));
    }

    private static String run(LocalStack stack, String name) throws Exception {
        TeacherSource teacher = TeacherSource.resolve(name);
        DistillRecipe recipe = DistillRecipe.forTeacher(name);
        int batch = recipe.batch();
        int count = count(name) / batch * batch;
        int warm = warmUp(name) / batch * batch;
        int rows = name.equals("mixture2d") ? 256 : 42; // teacher-service's default blocks for these teachers
        List<TrajectoryBlock> warmBlocks = TrajectoryProducer.blocks(teacher, "warm", 1, warm, rows,
                teacher.info().sha256());
        List<TrajectoryBlock> blocks = TrajectoryProducer.blocks(teacher, "bench", 50_000, count, rows,
                teacher.info().sha256());
        SfdConfig config = SfdConfig.builder(TrajectoryProducer.schedule(teacher.info())).solver("dpm++2m").k(8)
                .stepCounts(List.of(TrajectoryProducer.N)).afs(true).batch(batch).learningRate(recipe.learningRate())
                .loss(recipe.loss()).lrSchedule(recipe.lrSchedule()).budget((long) warm + count).seed(0).threads(1)
                .lrDropFraction(0.5).progress(false).build();

        // in process: warm-up, then the clock
        double inProcess;
        Path inProcessStudent = Files.createTempFile("bench-in-process-" + name, ".onnx");
        try (SfdStudentTrainer trainer = new SfdStudentTrainer(teacher.info(), StudentFromTeacher.build(teacher.model(),
                teacher.info().timeEmbedding(), teacher.info().timeEmbeddingWidth(), 0), config, SessionConfig.cpu(1))) {
            trainAll(trainer, InProcess.rows(warmBlocks), batch);
            long t0 = System.nanoTime();
            trainAll(trainer, InProcess.rows(blocks), batch);
            inProcess = count / ((System.nanoTime() - t0) / 1e9);
            Files.write(inProcessStudent, trainer.result(0, 0).student().toBytes());
        }

        // the whole input on the topic before the service starts; the producer exists before too
        String topic = "bench.trajectories." + name + "." + System.nanoTime();
        try (var admin = stack.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        long wire = 0;
        try (KafkaProducer<String, byte[]> producer = TrajectoryProducer.producer(stack.bootstrapServers())) {
            TrajectoryProducer.send(producer, topic, warmBlocks);
            for (ProducerRecord<String, byte[]> r : TrajectoryProducer.records(topic, blocks)) {
                wire += r.key().length() + r.value().length;
                for (var h : r.headers()) {
                    wire += h.key().length() + h.value().length;
                }
                producer.send(r);
            }
            producer.flush();
        }
        double intake = intakeCeiling(stack, topic, teacher, config, count + warm);
        double teacherRate = teacherReplica(teacher, Math.min(count, name.equals("mixture2d") ? 65_536 : 1024));

        StudentTrainerProcessIT.Service service = StudentTrainerProcessIT.Service.start(stack, "bench-" + name, "bench",
                List.of("-Dsfd.teacher.model=" + name, "-Dsfd.topic.trajectories=" + topic,
                        "-Dsfd.trainer.group-id=bench-" + System.nanoTime(), "-Dsfd.distill.solver=dpm++2m",
                        "-Dsfd.distill.k=8", "-Dsfd.trainer.batch=" + batch, "-Dsfd.trainer.loss=" + recipe.loss(),
                        "-Dsfd.trainer.learning-rate=" + recipe.learningRate(),
                        "-Dsfd.trainer.lr-schedule=" + recipe.lrSchedule(), "-Dsfd.trainer.replay-passes=1",
                        "-Dsfd.trainer.budget=" + (warm + count), "-Dsfd.trainer.shuffle-window=" + batch,
                        "-Dsfd.trainer.checkpoint-every-steps=1000000000", "-Dsfd.trainer.idle-end=5s",
                        "-Xmx1g"));
        double fromKafka;
        Path fromKafkaStudent;
        try {
            while (trained(service) < warm) {
                service.requireAlive();
                Thread.sleep(20);
            }
            long t0 = System.nanoTime();
            while (trained(service) < warm + count) {
                service.requireAlive();
                Thread.sleep(20);
            }
            fromKafka = count / ((System.nanoTime() - t0) / 1e9);
        } finally {
            // idle-end (5 s) after the last block the trainer checkpoints what it trained: the parity student
            fromKafkaStudent = awaitEndOfInputStudent(stack, "bench-" + name, service);
            service.stop();
        }
        assertTrue(fromKafka > 0 && inProcess > 0);
        double fdIn = fdAtNfe2(name, teacher, inProcessStudent);
        double fdKafka = fdAtNfe2(name, teacher, fromKafkaStudent);
        return String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.2f | %.0f | %.1f | %.1f | %.1f | %.4g | %.4g | %.3f |",
                name, batch, count, inProcess, fromKafka, fromKafka / inProcess, intake, teacherRate,
                intake / teacherRate, (double) wire / count, fdIn, fdKafka, fdKafka / fdIn);
    }

    private static void trainAll(SfdStudentTrainer trainer, List<TrainingRow> rows, int batch) {
        for (int from = 0; from + batch <= rows.size(); from += batch) {
            var s = TrajectoryBatcher.stack(rows.subList(from, from + batch));
            trainer.train(s.trajectory(), trainer.conditional() ? s.labels() : null);
        }
    }

    /**
     * Trajectories/s the trainer's intake reaches with training off: a consumer reads the topic from
     * the beginning, checks every record as the trainer's consumer thread does ({@link BlockIntake})
     * and stacks the rows into batches by bulk copy (what the training thread does before a step).
     */
    private static double intakeCeiling(LocalStack stack, String topic, TeacherSource teacher, SfdConfig config,
                                        int total) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-intake-" + UUID.randomUUID());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        BlockIntake intake = new BlockIntake(TrajectoryExpectation.of(teacher.info(), config));
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            parts.forEach(c::position);
            long seen = 0;
            long t0 = System.nanoTime();
            List<TrainingRow> rows = new ArrayList<>();
            while (seen < total) {
                List<TrajectoryRecord> records = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    records.add(new TrajectoryRecord(new RecordPosition(r.partition(), r.offset()), r.key(), r.value()));
                }
                for (BlockIntake.Item item : intake.checkAll(records)) {
                    if (item instanceof BlockIntake.Accepted a) {
                        for (int r = 0; r < a.block().rows(); r++) {
                            rows.add(TrainingRow.of(a.block(), r));
                        }
                        seen += a.block().rows();
                    }
                }
                while (rows.size() >= config.batch()) {
                    TrajectoryBatcher.stack(rows.subList(0, config.batch()));
                    rows.subList(0, config.batch()).clear();
                }
            }
            return seen / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** Trajectories/s of one teacher replica's solver in process (batch 256, dpm++2m K = 8, N = 3), warmed up. */
    private static double teacherReplica(TeacherSource source, int samples) throws Exception {
        var info = source.info();
        TeacherStageSettings s = TeacherStageSettings.defaults(TrajectoryProducer.schedule(info))
                .withStepCounts(List.of(TrajectoryProducer.N)).withBatch(256, Duration.ZERO);
        try (var model = source.open(1)) {
            TeacherBatchRunner runner = new TeacherBatchRunner(model, info, s);
            PromptValidator validator = new PromptValidator(info, s.stepCounts());
            String prompt = info.id().equals("shapes") ? "a red circle" : "north";
            BatchPlanner planner = new BatchPlanner(256);
            List<PromptPlan> warm = List.of(new PromptPlan(validator.validate(new PromptRequest("w", prompt, 512, 1L))));
            for (Optional<JobBatch> b = planner.next(warm); b.isPresent(); b = planner.next(warm)) {
                runner.run(b.get());
            }
            List<PromptPlan> plans = new ArrayList<>();
            for (int i = 0; i * 4096 < samples; i++) {
                plans.add(new PromptPlan(validator.validate(new PromptRequest("t" + i, prompt,
                        Math.min(4096, samples - i * 4096), 1000L * i))));
            }
            long t0 = System.nanoTime();
            for (Optional<JobBatch> b = planner.next(plans); b.isPresent(); b = planner.next(plans)) {
                runner.run(b.get());
            }
            return samples / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** The student of the trainer's end-of-input checkpoint (the newest version once all is trained). */
    private static Path awaitEndOfInputStudent(LocalStack stack, String student, StudentTrainerProcessIT.Service s)
            throws Exception {
        var e = stack.endpoints();
        try (CheckpointStore store = new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(),
                e.secretKey(), e.bucket(), null))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline) {
                s.requireAlive();
                List<Long> versions = store.versions(student);
                if (!versions.isEmpty()) {
                    CheckpointManifest m = store.manifest(student, versions.get(versions.size() - 1));
                    Path file = Files.createTempFile("bench-from-kafka-" + student, ".onnx");
                    Files.write(file, store.fetch(m));
                    return file;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("no end-of-input checkpoint of " + student + " within 5 min:\n" + s.tail());
    }

    /** FD of the student at NFE 2 against the data set's reference (2 000 samples, the seeds of sfd evaluate). */
    private static double fdAtNfe2(String name, TeacherSource teacher, Path student) throws Exception {
        SampleQuality quality = name.equals("mixture2d") ? new MixtureQuality(Mixture2d.ring().mixture())
                : new ShapesQuality(ShapesClassifier.openBuiltin(SessionConfig.cpu(1)), 2000);
        try (NoiseModel t = teacher.open(1);
                StudentSampler sampler = new StudentSampler(StudentCheckpoint.load(student), SessionConfig.cpu(1))) {
            return new QualityEvaluator(name, t, sampler, quality).samples(2000).highNfe(16).solvers(List.of("euler"))
                    .evaluate(List.of(2)).value(2, QualityReport.STUDENT, "FD");
        }
    }

    private static double trained(StudentTrainerProcessIT.Service s) throws Exception {
        String body;
        try {
            body = s.get("/q/metrics");
        } catch (java.io.IOException notYet) { // not listening yet, or no answer within the timeout: ask again
            return 0;
        }
        for (String line : body.split("\n")) {
            if (line.startsWith("sfd_trainer_trajectories_trained_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
