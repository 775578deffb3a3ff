package dev.sfd.core.store;

import io.minio.MinioClient;

/**
 * Where checkpoints live: an S3-compatible endpoint (MinIO, AWS S3, the local stack's s3proxy),
 * its credentials and the bucket. Path-style addressing, region us-east-1 unless told otherwise.
 */
public record ObjectStoreSettings(String endpoint, String accessKey, String secretKey, String bucket, String region) {

    public ObjectStoreSettings {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("object store endpoint is empty (set sfd.s3.endpoint)");
        }
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("object store bucket is empty (set sfd.s3.bucket)");
        }
        region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    /** Never prints the secret key (settings end up in log lines and exception messages). */
    @Override
    public String toString() {
        return "ObjectStoreSettings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=<redacted>, bucket="
                + bucket + ", region=" + region + "]";
    }

    /** A new client; the caller closes it. */
    public MinioClient newClient() {
        return MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region(region).build();
    }
}
