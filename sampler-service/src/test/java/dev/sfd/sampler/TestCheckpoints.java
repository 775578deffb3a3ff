package dev.sfd.sampler;

import dev.sfd.contract.Topics;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.text2image.PipelineFixtures;
import dev.sfd.pipeline.PipelineTeacher;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.pipeline.sampler.StarterStudent;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.StackEndpoints;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes checkpoints as the trainer does (store, then event), plus corrupt ones, on the real local stack. */
final class TestCheckpoints implements AutoCloseable {

    private static byte[] mixture;
    private static byte[] shapes;
    private static byte[] text;
    private static byte[] textOfOtherPipeline;

    private final StackEndpoints endpoints;
    private final CheckpointStore store;
    private final KafkaProducer<String, byte[]> producer;

    TestCheckpoints(LocalStack stack) {
        this(stack.endpoints());
    }

    /** On a stack started by another process (the benchmark's client JVM). */
    TestCheckpoints(StackEndpoints e) {
        this.endpoints = e;
        this.store = new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(),
                e.bucket(), "us-east-1"));
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, e.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    static synchronized byte[] mixtureStudent() {
        if (mixture == null) {
            mixture = StarterStudent.build(TeacherSource.resolve("mixture2d"), List.of(3, 5), 1);
        }
        return mixture.clone();
    }

    static synchronized byte[] shapesStudent() {
        if (shapes == null) {
            shapes = StarterStudent.build(TeacherSource.resolve("shapes"), List.of(3), 1);
        }
        return shapes.clone();
    }

    /** The fixture pipeline the text tests serve (fixtures/text2image/shapes-sd). */
    static String pipeline() {
        return PipelineFixtures.fixture("shapes-sd").toString();
    }

    /** A text-to-image starter student of the fixture pipeline (N = 3; cond = the prompt embedding). */
    static synchronized byte[] textStudent() {
        if (text == null) {
            buildTextStudents();
        }
        return text.clone();
    }

    /** The same student recording another teacher sha256: as if distilled from another pipeline. */
    static synchronized byte[] textStudentOfOtherPipeline() {
        if (textOfOtherPipeline == null) {
            buildTextStudents();
        }
        return textOfOtherPipeline.clone();
    }

    /** The other pipeline's sha256 {@link #textStudentOfOtherPipeline()} records. */
    static final String OTHER_PIPELINE_SHA256 = "0f".repeat(32);

    private static void buildTextStudents() {
        try (PipelineTeacher t = PipelineTeacher.open(pipeline(), SessionConfig.cpu(1))) {
            TeacherInfo i = t.info();
            text = StarterStudent.build(i, t.contract(), List.of(3), 1);
            textOfOtherPipeline = StarterStudent.build(new TeacherInfo(i.id(), OTHER_PIPELINE_SHA256, i.dataset(),
                    i.sampleShape(), i.tMin(), i.tMax(), i.classes(), i.timeEmbedding(), i.timeEmbeddingWidth()),
                    t.contract(), List.of(3), 1);
        }
    }

    CheckpointStore store() {
        return store;
    }

    /** Store, then event: what a trainer does. */
    CheckpointManifest publish(String student, long version, byte[] onnx) throws Exception {
        CheckpointManifest m = store.put(StarterStudent.draft(student, version, onnx), onnx);
        event(m);
        return m;
    }

    /** Bytes with a truthful manifest (size and sha256 match), then the event. */
    void publishRaw(String student, long version, byte[] bytes) throws Exception {
        CheckpointManifest like = StarterStudent.draft(student, version, mixtureStudent());
        CheckpointManifest m = store.put(new CheckpointManifest(like.schemaVersion(), student, version, null,
                CheckpointStore.sha256(bytes), bytes.length, 0, like.stepCounts(), like.schedule(), like.teacher(),
                like.metrics(), like.createdAt()), bytes);
        event(m);
    }

    /** A manifest whose sha256 does not match the file, then the event. */
    void publishBadSha(String student, long version, byte[] onnx) throws Exception {
        CheckpointManifest like = StarterStudent.draft(student, version, onnx);
        CheckpointManifest lying = new CheckpointManifest(like.schemaVersion(), student, version,
                CheckpointStore.prefix(student, version) + "student.onnx", "ab".repeat(32), onnx.length, 0,
                like.stepCounts(), like.schedule(), like.teacher(), like.metrics(), like.createdAt());
        try (MinioClient c = minio()) {
            put(c, lying.objectKey(), onnx);
            put(c, CheckpointStore.prefix(student, version) + "manifest.json",
                    lying.toJson().getBytes(StandardCharsets.UTF_8));
        }
        event(lying);
    }

    /**
     * A valid checkpoint written straight over the objects of {@code version} (what a writer that
     * reuses a version number does: the store's own put may refuse that), then the event.
     */
    void overwrite(String student, long version, byte[] onnx) throws Exception {
        CheckpointManifest like = StarterStudent.draft(student, version, onnx);
        CheckpointManifest m = new CheckpointManifest(like.schemaVersion(), student, version,
                CheckpointStore.prefix(student, version) + "student.onnx", CheckpointStore.sha256(onnx), onnx.length, 0,
                like.stepCounts(), like.schedule(), like.teacher(), like.metrics(), like.createdAt());
        try (MinioClient c = minio()) {
            put(c, m.objectKey(), onnx);
            put(c, CheckpointStore.prefix(student, version) + "manifest.json", m.toJson().getBytes(StandardCharsets.UTF_8));
        }
        event(m);
    }

    private MinioClient minio() {
        return MinioClient.builder().endpoint(endpoints.s3Endpoint()).credentials(endpoints.accessKey(),
                endpoints.secretKey()).region("us-east-1").build();
    }

    private void put(MinioClient c, String key, byte[] body) throws Exception {
        c.putObject(PutObjectArgs.builder().bucket(endpoints.bucket()).object(key)
                .stream(new ByteArrayInputStream(body), body.length, -1).build());
    }

    void event(CheckpointManifest m) throws Exception {
        producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, m.student(), m.toJson().getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    @Override
    public void close() throws Exception {
        producer.close();
        store.close();
    }
}
