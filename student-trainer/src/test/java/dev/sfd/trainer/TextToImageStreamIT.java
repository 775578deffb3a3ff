package dev.sfd.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.store.TrainerState;
import dev.sfd.core.teachers.imports.text2image.PipelineFixtures;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import dev.sfd.stack.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ai.onnx.proto.OnnxMl;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Text conditioning end to end through the two packaged services on the real local stack: free-text
 * prompts for the committed shapes-sd pipeline fixture go to the teacher-service, which writes trajectory
 * blocks (prompt text + condition_ref, never an embedding); the student-trainer re-encodes each prompt with
 * the same folder's tokenizer and text encoder, trains and publishes a checkpoint whose student names the
 * pipeline as its teacher and takes cond [B, L, D] float. A prompt with a word the tokenizer does not know
 * is dead-lettered with its reason. Prints the trainer's peak RSS (VmHWM).
 */
@ExtendWith(LocalStackExtension.class)
class TextToImageStreamIT {

    private static final List<String> PROMPTS = List.of("a red circle", "a small blue square",
            "the triangle is yellow");
    private static final int COUNT = 16;

    @Test
    void freeTextPromptsAreDistilledThroughBothServices(LocalStack stack) throws Exception {
        Path fixture = PipelineFixtures.fixture("shapes-sd");
        String sha = TextToImageFolder.read(fixture).sha256();
        String run = "t2i" + System.nanoTime();
        String prompts = "t2i.prompts." + run;
        String trajectories = "t2i.trajectories." + run;
        String promptsDlq = prompts + ".dlq";
        try (var admin = stack.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(prompts, 2, (short) 1), new NewTopic(trajectories, 2, (short) 1),
                    new NewTopic(promptsDlq, 1, (short) 1), new NewTopic(trajectories + ".dlq", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, byte[]> producer = TrajectoryProducer.producer(stack.bootstrapServers())) {
            for (int i = 0; i < PROMPTS.size(); i++) {
                TrajectoryProducer.sendRaw(producer, prompts, "p-" + i, ("{\"id\":\"p-" + i + "\",\"prompt\":\""
                        + PROMPTS.get(i) + "\",\"count\":" + COUNT + ",\"seed\":" + (1000 * i) + "}")
                        .getBytes(StandardCharsets.UTF_8));
            }
            TrajectoryProducer.sendRaw(producer, prompts, "p-bad",
                    "{\"id\":\"p-bad\",\"prompt\":\"a purple circle\",\"count\":4}".getBytes(StandardCharsets.UTF_8));
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SFD_TOPIC_PROMPTS", prompts);
        env.put("SFD_TOPIC_TRAJECTORIES", trajectories);
        env.put("SFD_TOPIC_PROMPTS_DLQ", promptsDlq);
        env.put("SFD_TEACHER_GROUP", run);
        env.put("SFD_TEACHER_MODEL", fixture.toString());
        env.put("SFD_DISTILL_STEP_COUNTS", "3");
        long t0 = System.nanoTime();
        String student = "t2i-" + System.nanoTime() % 100000;
        StudentTrainerProcessIT.Service trainer = null;
        try (ServiceProcess teacher = ServiceProcess.start("teacher-service", Path.of(System.getProperty(
                "sfd.teacher.jar", "../teacher-service/target/quarkus-app/quarkus-run.jar")), ServiceProcess.freePort(),
                env, List.of("-Xmx256m"), Path.of("target", "it-logs", "t2i-teacher.log"), true)) {
            trainer = StudentTrainerProcessIT.Service.start(stack, student, run, List.of(
                    "-Dsfd.teacher.model=" + fixture, "-Dsfd.distill.step-counts=3",
                    "-Dsfd.topic.trajectories=" + trajectories, "-Dsfd.topic.trajectories-dlq=" + trajectories + ".dlq",
                    "-Dsfd.trainer.group-id=" + run, "-Dsfd.trainer.batch=8", "-Dsfd.trainer.shuffle-window=16",
                    "-Dsfd.trainer.checkpoint-every-steps=0", "-Dsfd.trainer.checkpoint-every=24h",
                    "-Dsfd.trainer.idle-end=3s"));
            teacher.awaitReady(Duration.ofSeconds(120));
            double made = 0;
            long firstAck = 0;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    made < PROMPTS.size() * COUNT && System.nanoTime() < deadline; Thread.sleep(100)) {
                made = teacher.counter("sfd_teacher_trajectories_acknowledged_total");
                firstAck = firstAck == 0 && made > 0 ? System.nanoTime() : firstAck;
            }
            System.out.printf("teacher-service: %d trajectories acknowledged %.1f s after its start was asked for, "
                    + "%.2f s after the first acknowledgement (shapes-sd, N = 3)%n", (long) made,
                    (System.nanoTime() - t0) / 1e9, (System.nanoTime() - firstAck) / 1e9);
            assertEquals(PROMPTS.size() * COUNT, (long) made, "every trajectory of the three prompts:\n"
                    + teacher.tail(40));

            var e = stack.endpoints();
            try (CheckpointStore store = new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(),
                    e.secretKey(), e.bucket(), null))) {
                CheckpointManifest done = null;
                for (long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
                        done == null && System.nanoTime() < deadline; Thread.sleep(300)) {
                    trainer.requireAlive();
                    for (long v : store.versions(student)) {
                        done = store.manifest(student, v);
                    }
                }
                assertTrue(done != null, "no checkpoint within 150 s:\n" + trainer.tail());
                System.out.printf("student-trainer peak RSS (VmHWM): %s; checkpoint %.1f s after start%n",
                        peakRss(trainer.process().pid()), (System.nanoTime() - t0) / 1e9);
                assertEquals(PROMPTS.size() * COUNT, done.trajectoriesSeen(), "every trajectory trained");
                assertEquals("shapes-sd@" + sha, done.teacher());
                TrainerState state = TrainerState.fromBytes(store.fetchState(done));
                for (int i = 0; i < PROMPTS.size(); i++) {
                    String id = "p-" + i + "/";
                    assertEquals(COUNT, state.appliedTrajectoryIds().stream().filter(t -> t.startsWith(id)).count(),
                            "trajectories of prompt " + PROMPTS.get(i));
                }
                OnnxModel model = OnnxModel.parse("student.onnx", store.fetch(done));
                assertEquals("shapes-sd", model.metadata().get(StudentMetadata.TEACHER));
                assertEquals(sha, model.metadata().get(StudentMetadata.TEACHER_SHA256));
                OnnxMl.ValueInfoProto cond = model.graph().getInputList().stream()
                        .filter(v -> v.getName().equals("cond")).findFirst().orElseThrow();
                assertEquals(OnnxMl.TensorProto.DataType.FLOAT_VALUE, cond.getType().getTensorType().getElemType());
                assertEquals(3, cond.getType().getTensorType().getShape().getDimCount(), "cond is [B, L, D]: " + cond);
            }
            List<String> reasons = ForeignTeacherTopicIT.deadLetters(stack.bootstrapServers(), promptsDlq, 1);
            // at least once: a rebalance before the commit re-delivers the record, and its dead letter is sent again
            assertEquals(1, new java.util.HashSet<>(reasons).size(), "only the bad prompt is dead-lettered: " + reasons);
            assertTrue(reasons.get(0).contains("purple") && reasons.get(0).contains("p-bad"), reasons.get(0));
        } finally {
            if (trainer != null) {
                trainer.stop();
            }
        }
    }

    /** VmHWM of process {@code pid} from /proc (Linux), or "n/a". */
    private static String peakRss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmHWM:")).map(l -> l.substring(6).trim()).findFirst().orElse("n/a");
        } catch (Exception ex) {
            return "n/a";
        }
    }
}
