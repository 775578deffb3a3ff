package dev.sfd.service;

import dev.sfd.core.store.ObjectStoreSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
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

    default ObjectStoreSettings settings() {
        return new ObjectStoreSettings(endpoint(), accessKey(), secretKey(), bucket(), region(),
                caFile().filter(f -> !f.isBlank()).map(Path::of).orElse(null));
    }
}
