package dev.sfd.core.store;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Student checkpoints in an S3-compatible bucket: {@code students/<name>/<version>/student.onnx},
 * then {@code manifest.json} (written last, so a manifest always points at a complete file).
 * Reading verifies size and SHA-256 against the manifest and refuses a mismatch.
 */
public final class CheckpointStore implements AutoCloseable {

    private final ObjectStoreSettings settings;
    private final MinioClient client;

    public CheckpointStore(ObjectStoreSettings settings) {
        this.settings = settings;
        this.client = settings.newClient();
    }

    public static String prefix(String student, long version) {
        return "students/" + student + "/" + version + "/";
    }

    /** Uploads {@code onnx} then its manifest; returns the manifest as stored. */
    public CheckpointManifest put(CheckpointManifest draft, byte[] onnx) {
        String prefix = prefix(draft.student(), draft.version());
        String sha = sha256(onnx);
        if (!sha.equals(draft.sha256()) || onnx.length != draft.bytes()) {
            throw new IllegalArgumentException("manifest of " + draft.student() + " v" + draft.version()
                    + " says " + draft.bytes() + " bytes / sha256 " + draft.sha256() + " but the file has "
                    + onnx.length + " bytes / " + sha);
        }
        CheckpointManifest manifest = new CheckpointManifest(draft.schemaVersion(), draft.student(),
                draft.version(), prefix + "student.onnx", sha, onnx.length, draft.step(), draft.stepCounts(),
                draft.schedule(), draft.teacher(), draft.metrics(), draft.createdAt());
        upload(manifest.objectKey(), onnx, "application/octet-stream", Map.of("sha256", sha));
        upload(prefix + "manifest.json", manifest.toJson().getBytes(StandardCharsets.UTF_8), "application/json",
                Map.of());
        return manifest;
    }

    /** The manifest of {@code student} v{@code version}. */
    public CheckpointManifest manifest(String student, long version) {
        return CheckpointManifest.fromJson(new String(download(prefix(student, version) + "manifest.json"),
                StandardCharsets.UTF_8));
    }

    /** The newest version that has a manifest, if any. */
    public Optional<Long> latestVersion(String student) {
        long best = -1;
        try {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(settings.bucket())
                    .prefix("students/" + student + "/").recursive(true).build())) {
                String key = r.get().objectName();
                if (key.endsWith("/manifest.json")) {
                    String[] parts = key.split("/");
                    try {
                        best = Math.max(best, Long.parseLong(parts[2]));
                    } catch (NumberFormatException ignored) {
                        // not one of ours: students/<name>/<version>/manifest.json has a numeric version
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list checkpoints of " + student + " in " + settings.bucket()
                    + " at " + settings.endpoint() + ": " + e.getMessage(), e);
        }
        return best < 0 ? Optional.empty() : Optional.of(best);
    }

    /** The ONNX bytes of a checkpoint, verified against its manifest. */
    public byte[] fetch(CheckpointManifest manifest) {
        byte[] onnx = download(manifest.objectKey());
        String sha = sha256(onnx);
        if (onnx.length != manifest.bytes() || !sha.equals(manifest.sha256())) {
            throw new CorruptCheckpointException(manifest.student() + " v" + manifest.version() + " at "
                    + manifest.objectKey() + " has " + onnx.length + " bytes / sha256 " + sha + " but its manifest says "
                    + manifest.bytes() + " bytes / " + manifest.sha256());
        }
        return onnx;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void upload(String key, byte[] body, String contentType, Map<String, String> userMetadata) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).object(key)
                    .stream(new ByteArrayInputStream(body), body.length, -1).contentType(contentType)
                    .userMetadata(userMetadata).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot upload s3://" + settings.bucket() + "/" + key + " to "
                    + settings.endpoint() + ": " + e.getMessage(), e);
        }
    }

    private byte[] download(String key) {
        try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(settings.bucket())
                .object(key).build())) {
            return in.readAllBytes();
        } catch (ErrorResponseException e) {
            throw new IllegalStateException("s3://" + settings.bucket() + "/" + key + ": "
                    + e.errorResponse().code(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot download s3://" + settings.bucket() + "/" + key + " from "
                    + settings.endpoint() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
