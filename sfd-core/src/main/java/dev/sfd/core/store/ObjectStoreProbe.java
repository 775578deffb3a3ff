package dev.sfd.core.store;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;

/** Answers "can we reach the object store and does our bucket exist?" in a few seconds at most. */
public final class ObjectStoreProbe {

    private ObjectStoreProbe() {
    }

    /** Null when healthy, otherwise a sentence saying what is wrong. */
    public static String problem(ObjectStoreSettings settings) {
        MinioClient client = settings.newClient();
        try {
            client.setTimeout(3000, 3000, 3000);
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(settings.bucket()).build())) {
                return "bucket '" + settings.bucket() + "' does not exist at " + settings.endpoint();
            }
            return null;
        } catch (Exception e) {
            return "object store at " + settings.endpoint() + " unreachable or refused us: " + e.getMessage();
        } finally {
            try {
                client.close();
            } catch (Exception ignored) {
                // releasing the HTTP pool cannot fail in a way worth reporting
            }
        }
    }
}
