package dev.sfd.service;

import dev.sfd.core.store.ObjectStoreSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The {@code sfd.s3.*} settings of application.properties. */
@ConfigMapping(prefix = "sfd.s3")
public interface ObjectStoreConfig {

    String endpoint();

    String accessKey();

    String secretKey();

    String bucket();

    @WithDefault("us-east-1")
    String region();

    default ObjectStoreSettings settings() {
        return new ObjectStoreSettings(endpoint(), accessKey(), secretKey(), bucket(), region());
    }
}
