package dev.sfd.service;

import dev.sfd.core.store.ObjectStoreProbe;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the checkpoint bucket is reachable with our credentials. */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {

    private final ObjectStoreConfig config;

    public ObjectStoreReadiness(ObjectStoreConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = ObjectStoreProbe.problem(config.settings());
        return HealthCheckResponse.named("object store")
                .status(problem == null)
                .withData("endpoint", config.endpoint())
                .withData("bucket", config.bucket())
                .withData("problem", problem == null ? "none" : problem)
                .build();
    }
}
