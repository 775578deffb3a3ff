package dev.sfd.core.store;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.Map;
import java.util.Optional;

/**
 * Student checkpoints in an S3-compatible bucket: {@code students/<name>/<version>/student.onnx},
 * then {@code manifest.json} (written last, so a manifest always points at a complete file).
 * Reading verifies size and SHA-256 against the manifest and refuses a mismatch. Every S3 call goes
 * through one {@link S3Retry}: what the server failed (5xx, SlowDown, a non-XML answer) is called again.
 */
public final class CheckpointStore implements AutoCloseable {

    public static final String STUDENT_OBJECT = "student.onnx";
    public static final String MANIFEST_OBJECT = "manifest.json";

    private final ObjectStoreSettings settings;
    private final MinioClient client;
    private final S3Retry retry;

    /** With {@link S3Retry#DEFAULT} for server errors. */
    public CheckpointStore(ObjectStoreSettings settings) {
        this(settings, S3Retry.DEFAULT);
    }

    /** Every call of this store repeats server errors (5xx, SlowDown, non-XML answers) as {@code retry} says. */
    public CheckpointStore(ObjectStoreSettings settings, S3Retry retry) {
        this.settings = settings;
        this.client = settings.newClient();
        this.retry = retry;
    }

    /** {@code students/<student>/<version>/}; the name is checked by {@link StudentNames} (no path traversal). */
    public static String prefix(String student, long version) {
        return studentPrefix(student) + version + "/";
    }

    /** {@code students/<student>/}, after {@link StudentNames#require}. */
    public static String studentPrefix(String student) {
        return "students/" + StudentNames.require(student) + "/";
    }

    /** Uploads {@code onnx} then its manifest; returns the manifest as stored. */
    public CheckpointManifest put(CheckpointManifest draft, byte[] onnx) {
        return put(draft, onnx, null);
    }

    /**
     * Uploads {@code onnx}, then the trainer {@code state} (if not null), then the manifest, last:
     * a version is visible (has a manifest) only once everything it names is stored. Returns the
     * manifest as stored.
     */
    public CheckpointManifest put(CheckpointManifest draft, byte[] onnx, byte[] state) {
        String prefix = prefix(draft.student(), draft.version());
        String sha = sha256(onnx);
        if (!sha.equals(draft.sha256()) || onnx.length != draft.bytes()) {
            throw new IllegalArgumentException("manifest of " + draft.student() + " v" + draft.version()
                    + " says " + draft.bytes() + " bytes / sha256 " + draft.sha256() + " but the file has "
                    + onnx.length + " bytes / " + sha);
        }
        if (state != null && (!sha256(state).equals(draft.stateSha256()) || draft.stateBytes() == null
                || state.length != draft.stateBytes())) {
            throw new IllegalArgumentException("manifest of " + draft.student() + " v" + draft.version()
                    + " says the trainer state has " + draft.stateBytes() + " bytes / sha256 " + draft.stateSha256()
                    + " but it has " + state.length + " bytes / " + sha256(state));
        }
        CheckpointManifest manifest = draft.withKeys(prefix + STUDENT_OBJECT,
                state == null ? null : prefix + TrainerState.OBJECT_NAME);
        upload(manifest.objectKey(), onnx, "application/octet-stream", Map.of("sha256", sha));
        if (state != null) {
            upload(manifest.stateKey(), state, "application/octet-stream", Map.of("sha256", manifest.stateSha256()));
        }
        upload(prefix + MANIFEST_OBJECT, manifest.toJson().getBytes(StandardCharsets.UTF_8), "application/json",
                Map.of());
        return manifest;
    }

    /** The trainer state of a checkpoint, verified against its manifest. */
    public byte[] fetchState(CheckpointManifest manifest) {
        if (!manifest.resumable()) {
            throw new IllegalArgumentException(manifest.student() + " v" + manifest.version()
                    + " has no trainer state: it was not written by student-trainer and cannot be resumed from");
        }
        byte[] state = download(manifest.stateKey());
        String sha = sha256(state);
        if (state.length != manifest.stateBytes() || !sha.equals(manifest.stateSha256())) {
            throw new CorruptCheckpointException(manifest.student() + " v" + manifest.version() + " at "
                    + manifest.stateKey() + " has " + state.length + " bytes / sha256 " + sha
                    + " but its manifest says " + manifest.stateBytes() + " bytes / " + manifest.stateSha256());
        }
        return state;
    }

    /** Every version of {@code student} that has a manifest, oldest first. */
    public List<Long> versions(String student) {
        TreeSet<Long> out = new TreeSet<>();
        for (String key : keys(studentPrefix(student))) {
            if (key.endsWith("/" + MANIFEST_OBJECT)) {
                String[] parts = key.split("/");
                try {
                    out.add(Long.parseLong(parts[2]));
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException ignored) {
                    // not one of ours: students/<name>/<version>/manifest.json has a numeric version
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Every object under {@code students/<student>/<version>/} (with a manifest or not), by key. */
    public List<String> objects(String student, long version) {
        return keys(prefix(student, version));
    }

    /**
     * Deletes version {@code version} of {@code student}: the manifest first (so a half-deleted
     * version is never seen as complete), then every other object under its prefix.
     */
    public void delete(String student, long version) {
        String prefix = prefix(student, version);
        remove(prefix + MANIFEST_OBJECT);
        for (String key : keys(prefix)) {
            remove(key);
        }
    }

    /** Whether the object {@code key} exists (false when the store says it does not). */
    public boolean exists(String key) {
        try {
            retry.call("stat s3://" + settings.bucket() + "/" + key,
                    () -> client.statObject(StatObjectArgs.builder().bucket(settings.bucket()).object(key).build()));
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                return false;
            }
            throw new IllegalStateException("cannot stat s3://" + settings.bucket() + "/" + key + " at "
                    + settings.endpoint() + ": " + e.errorResponse().code() + " (check sfd.s3.access-key / "
                    + "sfd.s3.secret-key and sfd.s3.bucket)", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stat s3://" + settings.bucket() + "/" + key + " at "
                    + settings.endpoint() + ": " + e.getMessage(), e);
        }
    }

    /** Uploads a small object as is (e.g. a writer lease). */
    public void putObject(String key, byte[] body, String contentType) {
        upload(key, body, contentType, Map.of());
    }

    /** Downloads a small object as is. */
    public byte[] getObject(String key) {
        return download(key);
    }

    private List<String> keys(String prefix) {
        try {
            return retry.call("list s3://" + settings.bucket() + "/" + prefix, () -> {
                List<String> out = new ArrayList<>(); // a listing can race an upload in progress (5xx): list again
                for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(settings.bucket())
                        .prefix(prefix).recursive(true).build())) {
                    out.add(r.get().objectName());
                }
                return out;
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot list s3://" + settings.bucket() + "/" + prefix + " at "
                    + settings.endpoint() + ": " + e.getMessage(), e);
        }
    }

    private void remove(String key) {
        try {
            retry.call("delete s3://" + settings.bucket() + "/" + key, () -> {
                client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucket()).object(key).build());
                return null;
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete s3://" + settings.bucket() + "/" + key + " at "
                    + settings.endpoint() + ": " + e.getMessage(), e);
        }
    }

    /** The manifest of {@code student} v{@code version}. */
    public CheckpointManifest manifest(String student, long version) {
        return CheckpointManifest.fromJson(new String(download(prefix(student, version) + "manifest.json"),
                StandardCharsets.UTF_8));
    }

    /** The newest version that has a manifest, if any. */
    public Optional<Long> latestVersion(String student) {
        long best = -1;
        for (String key : keys(studentPrefix(student))) {
            if (key.endsWith("/manifest.json")) {
                String[] parts = key.split("/");
                try {
                    best = Math.max(best, Long.parseLong(parts[2]));
                } catch (NumberFormatException ignored) {
                    // not one of ours: students/<name>/<version>/manifest.json has a numeric version
                }
            }
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
            retry.call("upload s3://" + settings.bucket() + "/" + key, () -> client.putObject(PutObjectArgs.builder()
                    .bucket(settings.bucket()).object(key).stream(new ByteArrayInputStream(body), body.length, -1)
                    .contentType(contentType).userMetadata(userMetadata).build()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot upload s3://" + settings.bucket() + "/" + key + " to "
                    + settings.endpoint() + ": " + e.getMessage(), e);
        }
    }

    private byte[] download(String key) {
        try {
            return retry.call("download s3://" + settings.bucket() + "/" + key, () -> {
                try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(settings.bucket())
                        .object(key).build())) {
                    return in.readAllBytes();
                }
            });
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
