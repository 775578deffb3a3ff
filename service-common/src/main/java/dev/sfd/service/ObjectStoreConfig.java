package dev.sfd.service;

import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.store.S3Retry;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The {@code sfd.s3.*} settings of application.properties. */
@ConfigMapping(prefix = "sfd.s3")
public interface ObjectStoreConfig {

    String endpoint();

    String accessKey();

    String secretKey();

    String bucket();

    @WithDefault("us-east-1")
    String region();

    /**
     * {@code sfd.s3.ca-file}: for an {@code https} endpoint signed by a private CA, a PEM file with the
     * CA certificate(s) to trust (e.g. a mounted Secret or ConfigMap); unset = the JVM's trust store.
     */
    Optional<String> caFile();

    /**
     * {@code sfd.s3.server-error-attempts}: calls in all for an S3 call the server failed (5xx,
     * SlowDown, a non-XML answer); 1 = no repeat.
     */
    @WithDefault("4")
    int serverErrorAttempts();

    /** {@code sfd.s3.server-error-backoff}: the wait before the second call, doubled each time up to 2 s. */
    @WithDefault("200ms")
    Duration serverErrorBackoff();

    /** The retry of server errors every checkpoint-store call goes through. */
    default S3Retry retry() {
        Duration initial = serverErrorBackoff();
        return new S3Retry(serverErrorAttempts(), initial, initial.compareTo(Duration.ofSeconds(2)) > 0 ? initial
                : Duration.ofSeconds(2));
    }

    default ObjectStoreSettings settings() {
        return new ObjectStoreSettings(endpoint(), accessKey(), secretKey(), bucket(), region(),
                caFile().filter(f -> !f.isBlank()).map(Path::of).orElse(null));
    }
}
