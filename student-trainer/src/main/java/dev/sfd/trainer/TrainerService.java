package dev.sfd.trainer;

import dev.sfd.core.distill.DistillRecipe;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.ExecutionProvider;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.teachers.imports.text2image.PromptTable;
import dev.sfd.pipeline.PipelineTeacher;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.pipeline.trainer.Backoff;
import dev.sfd.pipeline.trainer.CheckpointPolicy;
import dev.sfd.pipeline.trainer.CheckpointPublisher;
import dev.sfd.pipeline.trainer.CheckpointSnapshot;
import dev.sfd.pipeline.trainer.ResumePoint;
import dev.sfd.pipeline.trainer.TrainerSettings;
import dev.sfd.pipeline.trainer.TrainerStage;
import dev.sfd.pipeline.trainer.TrajectoryExpectation;
import dev.sfd.pipeline.trainer.LeaseHolder;
import dev.sfd.pipeline.trainer.WriterLease;
import dev.sfd.service.ObjectStoreConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Builds the trainer at start-up: the teacher (a built-in, an ONNX file, or a text-to-image pipeline whose
 * tokenizer + text encoder re-encode each block's prompt, once per distinct prompt), the SFD trainer on the configured execution
 * provider, the writer lease, the resume from the newest complete checkpoint, the checkpoint
 * publisher and the Kafka producer for dead letters and checkpoint events. Start-up fails with a
 * clear message when any of them cannot be had (unknown teacher, CUDA unavailable, another writer).
 */
@Startup
@ApplicationScoped
public class TrainerService {

    private static final Logger LOG = Logger.getLogger(TrainerService.class);

    @ConfigProperty(name = "sfd.teacher.model", defaultValue = "mixture2d")
    String teacherModel;
    @ConfigProperty(name = "sfd.distill.solver")
    java.util.Optional<String> solver;
    @ConfigProperty(name = "sfd.distill.k")
    java.util.Optional<Integer> k;
    @ConfigProperty(name = "sfd.distill.carry-history")
    java.util.Optional<Boolean> carryHistory;
    @ConfigProperty(name = "sfd.distill.step-counts", defaultValue = "3")
    List<Integer> stepCounts;
    @ConfigProperty(name = "sfd.distill.afs", defaultValue = "true")
    boolean afs;
    @ConfigProperty(name = "sfd.execution-provider", defaultValue = "cpu")
    String executionProvider;
    @ConfigProperty(name = "sfd.threads", defaultValue = "1")
    int threads;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "sfd.topic.trajectories")
    String trajectoriesTopic;
    @ConfigProperty(name = "sfd.topic.trajectories-dlq")
    String deadLetterTopic;
    @ConfigProperty(name = "sfd.topic.checkpoints")
    String checkpointsTopic;

    private final TrainerConfig config;
    private final ObjectStoreConfig s3;

    private TrainerStage stage;
    private SfdStudentTrainer trainer;
    private PipelineTeacher pipeline; // null unless the teacher is a text-to-image pipeline
    private CheckpointStore store;
    private CheckpointPublisher publisher;
    private KafkaProducer<String, byte[]> producer;
    private WriterLease lease;
    private String student;
    private String teacherLabel;
    private volatile String fenced;
    private volatile String consumerProblem;
    private int replayPasses;
    private volatile java.util.function.Consumer<CheckpointPublisher.StoredCheckpoint> committer = c -> { };

    public TrainerService(TrainerConfig config, ObjectStoreConfig s3) {
        this.config = config;
        this.s3 = s3;
    }

    @PostConstruct
    void start() throws Exception {
        SessionConfig session = new SessionConfig(ExecutionProvider.parse(executionProvider), threads, 0);
        OnnxModel teacherModelGraph;
        TeacherInfo info;
        PromptTable prompts = null; // a text-to-image teacher: prompts re-encoded from the blocks' text
        boolean text = PipelineTeacher.applies(teacherModel);
        if (text) {
            pipeline = PipelineTeacher.open(teacherModel, session);
            info = pipeline.info();
            teacherModelGraph = pipeline.contract();
            prompts = new PromptTable(pipeline.prompts());
        } else {
            TeacherSource teacher = TeacherSource.resolve(teacherModel);
            info = teacher.info();
            teacherModelGraph = teacher.model();
        }
        teacherLabel = info.id() + "@" + info.sha256();
        // recipe parity: every knob left unset is the recipe `sfd distill --teacher <model>` uses
        DistillRecipe recipe = text ? DistillRecipe.TEXT_TO_IMAGE
                : DistillRecipe.forTeacher(TeacherSource.BUILTIN.contains(teacherModel) ? teacherModel : "");
        replayPasses = config.replayPasses().orElse(recipe.epochs());
        SfdConfig sfd = SfdConfig.builder(ScheduleSpec.polynomial(info.tMin(), info.tMax()))
                .solver(solver.orElse(recipe.solver())).k(k.orElse(recipe.k()))
                .carryHistory(carryHistory.orElse(recipe.carryHistory()))
                .stepCounts(stepCounts).afs(afs).batch(config.batch().orElse(recipe.batch()))
                .learningRate(config.learningRate().orElse(recipe.learningRate()))
                .loss(config.loss().orElse(recipe.loss())).lrSchedule(config.lrSchedule().orElse(recipe.lrSchedule()))
                .emaHalfLife(config.emaHalfLife().orElse(recipe.emaHalfLife()))
                .budget(config.budget().orElse(recipe.budget() * recipe.epochs())).seed(config.shuffleSeed())
                .threads(Math.max(1, threads)).lrDropFraction(config.lrDropFraction()).progress(false).build();
        student = config.studentName().filter(s -> !s.isBlank())
                .orElse(info.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-") + "-student");
        trainer = new SfdStudentTrainer(info, StudentFromTeacher.build(teacherModelGraph, info.timeEmbedding(),
                info.timeEmbeddingWidth(), sfd.seed()), sfd, session, prompts);
        TrainerSettings settings = new TrainerSettings(student, trajectoriesTopic, config.shuffleWindow(),
                config.shuffleSeed(), replayPasses, java.nio.file.Path.of(config.replayCacheDir()
                        .orElse(System.getProperty("java.io.tmpdir"))),
                new CheckpointPolicy(config.checkpointEverySteps(), config.checkpointEvery().toNanos()),
                "student-trainer / " + StudentMetadata.CODE_VERSION);
        stage = new TrainerStage(trainer, TrajectoryExpectation.of(info, sfd, prompts), settings, System.nanoTime());

        store = new CheckpointStore(s3.settings(), s3.retry());
        lease = new WriterLease(store, student, UUID.randomUUID().toString(), LeaseHolder.current(),
                config.leaseTtl().toMillis(), System::currentTimeMillis, Thread::sleep);
        WriterLease.Acquired took = lease.acquire();
        LOG.infof("writer lease %s held (waited %d ms: %s)", lease.key(), took.waitedMillis(), took.reason());
        ResumePoint.Found found = ResumePoint.newest(store, student);
        found.point().ifPresent(p -> {
            stage.restore(p.manifest(), p.onnx(), p.state(), System.nanoTime());
            LOG.infof("resumed %s from v%d: %d trajectories seen, %d optimiser steps, pass %d, offsets %s",
                    student, p.manifest().version(), p.state().seen(), p.state().optimizerSteps(), p.state().pass(),
                    p.manifest().offsets());
        });
        if (found.point().isEmpty()) {
            LOG.infof("no checkpoint of %s to resume from (%s): starting from the teacher's weights", student,
                    found.skipped().isEmpty() ? "none stored" : String.join("; ", found.skipped()));
        }
        producer = newProducer();
        publisher = new CheckpointPublisher(store, this::announce, new Backoff(config.retryInitial(),
                config.retryMax()), config.keepVersions(), found.newestVersion(), this::published, lease::otherWriter);
        LOG.infof("student-trainer for %s ready: teacher %s, N %s, %s K=%d%s, batch %d, lr %g (%s), loss %s, budget %d, "
                + "%d pass(es), %s (recipe of sfd distill for this teacher: %s)", student, info.id(), sfd.stepCounts(),
                sfd.solver(), sfd.k(), sfd.carryHistory() ? " (history carried)" : "", sfd.batch(), sfd.learningRate(),
                sfd.lrSchedule(), sfd.loss(), sfd.budget(), replayPasses, session, recipe.describe());
    }

    private void announce(dev.sfd.core.store.CheckpointManifest stored) throws Exception {
        producer.send(new ProducerRecord<>(checkpointsTopic, stored.student(),
                stored.toJson().getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }

    private void published(CheckpointPublisher.StoredCheckpoint stored) {
        stage.stats().lastVersion.set(stored.manifest().version());
        stage.stats().lastCheckpointEpochMillis.set(System.currentTimeMillis());
        stage.stats().checkpoints.incrementAndGet();
        LOG.infof("published %s v%d (step %d, %d trajectories, offsets %s)", student, stored.manifest().version(),
                stored.manifest().step(), stored.manifest().trajectoriesSeen(), stored.manifest().offsets());
        committer.accept(stored);
    }

    /** Hands a snapshot to the publisher unless this trainer lost its writer lease. */
    void submit(CheckpointSnapshot snapshot) {
        if (fenced != null) {
            LOG.warnf("not publishing: %s", fenced);
            return;
        }
        publisher.submit(snapshot);
    }

    /** Renews the lease; a lease taken by someone else fences this trainer (no more publications). */
    void renewLease() {
        try {
            if (!lease.stillMine()) {
                fenced = "another trainer took the writer lease " + lease.key() + "; this one stops publishing";
                LOG.error(fenced);
                return;
            }
            lease.renew();
        } catch (RuntimeException e) {
            LOG.warnf("cannot renew the writer lease (object store unreachable?): %s", e.getMessage());
        }
    }

    void onCommit(java.util.function.Consumer<CheckpointPublisher.StoredCheckpoint> c) {
        this.committer = c;
    }

    /** What keeps the trainer from being ready, or an empty list. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (fenced != null) {
            out.add(fenced);
        }
        if (consumerProblem != null) {
            out.add(consumerProblem);
        }
        if (publisher != null && publisher.problem() != null) {
            out.add("checkpoint publication: " + publisher.problem());
        }
        return out;
    }

    /** The consumer or the training thread died: readiness goes DOWN with the reason. */
    void consumerFailed(Throwable e) {
        if (consumerProblem == null) {
            consumerProblem = "trajectory intake stopped: " + e;
            LOG.error(consumerProblem);
        }
    }

    /** Passes over the trajectories (configured or the recipe's). */
    public int replayPasses() {
        return replayPasses;
    }

    public TrainerStage stage() {
        return stage;
    }

    public CheckpointPublisher publisher() {
        return publisher;
    }

    public String student() {
        return student;
    }

    /** The teacher being distilled, as trajectories must name it: {@code <id>@<sha256>}. */
    public String teacherLabel() {
        return teacherLabel;
    }

    public TrainerConfig config() {
        return config;
    }

    public String trajectoriesTopic() {
        return trajectoriesTopic;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    public KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    private KafkaProducer<String, byte[]> newProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "student-trainer-" + student);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @PreDestroy
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
        if (stage != null) {
            stage.close();
        }
        if (trainer != null) {
            trainer.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        try {
            if (store != null) {
                store.close();
            }
        } catch (Exception e) {
            LOG.warnf("closing the object store client: %s", e.getMessage());
        }
    }
}
