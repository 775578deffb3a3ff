package dev.sfd.sampler;

import dev.sfd.pipeline.sampler.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a model is loaded and warmed up; stays ready while a new version loads beside it
 * (the old one serves until the swap), so a reload never flaps readiness.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final SamplerRuntime runtime;

    public ModelReadiness(SamplerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<LoadedModel> m = runtime.live() == null ? Optional.empty() : runtime.live().current();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("sampler model").status(m.isPresent())
                .withData("student", runtime.config().student());
        m.ifPresent(model -> b.withData("version", model.version()).withData("loadedAt", model.loadedAt().toString()));
        return b.build();
    }
}
