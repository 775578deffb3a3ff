package dev.sfd.core.store;

import io.minio.MinioClient;
import io.minio.http.HttpUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;

/**
 * Where checkpoints live: an S3-compatible endpoint (MinIO, AWS S3, the local stack's s3proxy),
 * its credentials and the bucket. Path-style addressing, region us-east-1 unless told otherwise.
 *
 * @param caFile for an {@code https} endpoint signed by a private CA: a PEM file with the CA
 *               certificate(s) to trust (then only those are trusted); null = the JVM's trust store
 */
public record ObjectStoreSettings(String endpoint, String accessKey, String secretKey, String bucket, String region,
                                  Path caFile) {

    /** The client's connect, write and read timeouts (MinIO's own default). */
    private static final long TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);

    public ObjectStoreSettings {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("object store endpoint is empty (set sfd.s3.endpoint)");
        }
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("object store bucket is empty (set sfd.s3.bucket)");
        }
        region = region == null || region.isBlank() ? "us-east-1" : region;
        if (caFile != null && !Files.isRegularFile(caFile)) {
            throw new IllegalArgumentException("sfd.s3.ca-file '" + caFile + "' is not a readable file: point it at "
                    + "a PEM file with the CA certificate of the S3 endpoint, or leave it unset to use the JVM's "
                    + "trust store");
        }
    }

    /** Without a CA file: the JVM's trust store decides for an {@code https} endpoint. */
    public ObjectStoreSettings(String endpoint, String accessKey, String secretKey, String bucket, String region) {
        this(endpoint, accessKey, secretKey, bucket, region, null);
    }

    /** Never prints the secret key (settings end up in log lines and exception messages). */
    @Override
    public String toString() {
        return "ObjectStoreSettings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=<redacted>, bucket="
                + bucket + ", region=" + region + (caFile == null ? "" : ", caFile=" + caFile) + "]";
    }

    /** A new client; the caller closes it. */
    public MinioClient newClient() {
        MinioClient.Builder builder = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey)
                .region(region);
        if (caFile != null) {
            try {
                builder.httpClient(HttpUtils.enableExternalCertificates(
                        HttpUtils.newDefaultHttpClient(TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS), caFile.toString()), true);
            } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("sfd.s3.ca-file '" + caFile + "' holds no usable PEM certificate ("
                        + e.getMessage() + "): it must contain the CA certificate(s) of " + endpoint, e);
            }
        }
        return builder.build();
    }
}
