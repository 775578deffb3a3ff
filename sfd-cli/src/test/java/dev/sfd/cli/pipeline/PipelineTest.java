package dev.sfd.cli.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.sfd.core.distill.quality.MixtureQuality;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import dev.sfd.stack.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole pipeline on the real broker and S3 server with the built-in mixture2d teacher: prompts
 * in, bad prompts dead-lettered with a reason, trajectories through Kafka, a student distilled from
 * them that beats the teacher's Euler at NFE 2, and a checkpoint that comes back verified.
 */
@ExtendWith(LocalStackExtension.class)
class PipelineTest {

    @Test
    void promptsBecomeAStudentThatBeatsTeacherEulerAtNfe2(LocalStack stack) throws Exception {
        String bootstrap = stack.bootstrapServers();
        Mixture2d data = Mixture2d.ring();
        List<String> bad = List.of("{\"id\":\"p-bad\",\"prompt\":\"north\",\"count\":0}", "not json");
        try (KafkaProducer<String, byte[]> producer = KafkaClients.bytesProducer(bootstrap)) {
            for (int i = 0; i < data.modes().size(); i++) {
                PromptRequest r = new PromptRequest("p-" + i, data.modes().get(i).name(), 256, 100_000L * i);
                producer.send(new ProducerRecord<>(TopicSpec.PROMPTS, r.id(), r.toJson().getBytes(StandardCharsets.UTF_8)));
            }
            for (String b : bad) {
                producer.send(new ProducerRecord<>(TopicSpec.PROMPTS, "bad", b.getBytes(StandardCharsets.UTF_8))).get();
            }
        }

        Path file = BuiltinTeachers.file("mixture2d");
        byte[] bytes = Files.readAllBytes(file);
        OnnxModel model = BuiltinTeachers.loadVerified(file);
        TeacherInfo info = TeacherInfo.of("mixture2d", model, bytes);
        SfdConfig config = SfdConfig.builder(ScheduleSpec.polynomial(info.tMin(), info.tMax())).solver("dpm++2m").k(8)
                .nfeCounts(List.of(2)).batch(64).learningRate(1e-3).budget(8 * 256).seed(0).threads(1)
                .progress(false).build();

        TeacherStage.Stats teacher;
        try (NoiseModel t = BuiltinTeachers.open("mixture2d", SessionConfig.cpu(1));
                TeacherStage stage = new TeacherStage(bootstrap, "pipeline-teacher", t, info, config)) {
            teacher = stage.runUntilIdle(Duration.ofSeconds(3));
        }
        assertEquals(8, teacher.prompts());
        assertEquals(2, teacher.rejected());
        assertEquals(8 * 256, teacher.trajectories());
        assertEquals(8 * 256 * 4, teacher.records(), "N = 3: x_N plus three teacher points per trajectory");

        DistillationResult result;
        try (SfdStudentTrainer trainer = new SfdStudentTrainer(info,
                StudentFromTeacher.build(model, info.timeEmbedding(), info.timeEmbeddingWidth(), 0), config);
                TrainerStage stage = new TrainerStage(bootstrap, "pipeline-trainer", trainer, 64, 512, 0)) {
            TrainerStage.Stats stats = stage.runUntil(config.budget(), Duration.ofSeconds(15));
            assertEquals(8 * 256, stats.trajectories());
            assertEquals(0, stats.deadLettered());
            result = trainer.result(teacher.teacherCalls(), 0);
        }
        assertEquals(0, ConsumerLag.total(ConsumerLag.describe(bootstrap, "pipeline-trainer", Duration.ofSeconds(10))));

        var e = stack.endpoints();
        ObjectStoreSettings s3 = new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(), null);
        Path student = Files.createTempFile("pipeline-student", ".onnx");
        try (CheckpointStore store = new CheckpointStore(s3);
                KafkaProducer<String, byte[]> producer = KafkaClients.bytesProducer(bootstrap)) {
            CheckpointManifest m = CheckpointPublisher.publish(store, producer, "pipeline-test", result, Map.of());
            Files.write(student, store.fetch(store.manifest("pipeline-test", store.latestVersion("pipeline-test")
                    .orElseThrow())));
            assertEquals(m.sha256(), CheckpointStore.sha256(Files.readAllBytes(student)));
        }

        QualityReport report;
        try (NoiseModel t = BuiltinTeachers.open("mixture2d", SessionConfig.cpu(1));
                StudentSampler sampler = new StudentSampler(StudentCheckpoint.load(student), SessionConfig.cpu(1))) {
            report = new QualityEvaluator("mixture2d", t, sampler, new MixtureQuality(data.mixture()))
                    .samples(1000).highNfe(32).solvers(List.of("euler")).evaluate(List.of(2));
        }
        double studentFd = report.value(2, QualityReport.STUDENT, "FD");
        double eulerFd = report.value(2, "euler", "FD");
        assertTrue(studentFd < eulerFd / 3, "student FD " + studentFd + " vs teacher Euler " + eulerFd + "\n"
                + report.format());

        List<String> reasons = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> dlq = KafkaClients.bytesConsumer(bootstrap, "pipeline-dlq")) {
            dlq.subscribe(List.of(TopicSpec.PROMPTS_DLQ));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reasons.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(300))) {
                    reasons.add(new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(2, reasons.size(), "both bad prompt records are kept, with reasons: " + reasons);
        assertTrue(reasons.get(0).contains("count 0") || reasons.get(1).contains("count 0"), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("not valid JSON")), reasons.toString());
    }
}
