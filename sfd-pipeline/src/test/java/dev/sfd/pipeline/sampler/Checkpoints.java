package dev.sfd.pipeline.sampler;

import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.StackEndpoints;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Test checkpoints in the real local stack's object store: good, corrupt and incomplete ones. */
final class Checkpoints {

    private static byte[] mixture;
    private static byte[] shapes;

    private Checkpoints() {
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

    static String uniqueStudent(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static CheckpointStore store(LocalStack stack) {
        StackEndpoints e = stack.endpoints();
        return new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(),
                "us-east-1"));
    }

    static CheckpointManifest publish(CheckpointStore store, String student, long version, byte[] onnx) {
        return store.put(StarterStudent.draft(student, version, onnx), onnx);
    }

    /** Writes {@code onnx} with a manifest claiming {@code claimedSha} (a checksum mismatch). */
    static void publishWithSha(LocalStack stack, String student, long version, byte[] onnx, String claimedSha)
            throws Exception {
        CheckpointManifest m = StarterStudent.draft(student, version, mixtureStudent());
        CheckpointManifest lying = new CheckpointManifest(m.schemaVersion(), student, version,
                CheckpointStore.prefix(student, version) + "student.onnx", claimedSha, onnx.length, 0, m.stepCounts(),
                m.schedule(), m.teacher(), m.metrics(), m.createdAt());
        putRaw(stack, lying.objectKey(), onnx);
        putRaw(stack, CheckpointStore.prefix(student, version) + "manifest.json",
                lying.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Any bytes with a truthful manifest (size and sha256 match): tests the loader's own checks. */
    static void publishRaw(CheckpointStore store, String student, long version, byte[] bytes) {
        CheckpointManifest like = StarterStudent.draft(student, version, mixtureStudent());
        store.put(new CheckpointManifest(like.schemaVersion(), student, version, null, CheckpointStore.sha256(bytes),
                bytes.length, 0, like.stepCounts(), like.schedule(), like.teacher(), like.metrics(), like.createdAt()),
                bytes);
    }

    /** Only the ONNX file, no manifest: an upload still in progress. */
    static void publishIncomplete(LocalStack stack, String student, long version, byte[] onnx) throws Exception {
        putRaw(stack, CheckpointStore.prefix(student, version) + "student.onnx", onnx);
    }

    private static void putRaw(LocalStack stack, String key, byte[] body) throws Exception {
        try (MinioClient c = stack.newMinioClient()) {
            c.putObject(PutObjectArgs.builder().bucket(stack.endpoints().bucket()).object(key)
                    .stream(new ByteArrayInputStream(body), body.length, -1).build());
        }
    }
}
