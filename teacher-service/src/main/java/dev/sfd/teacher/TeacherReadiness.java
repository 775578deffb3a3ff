package dev.sfd.teacher;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the teacher is loaded and verified and the stage's worker runs. */
@Readiness
@ApplicationScoped
public class TeacherReadiness implements HealthCheck {

    private final TeacherEngine engine;

    public TeacherReadiness(TeacherEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        TeacherEngine.Running r = engine.running();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("teacher");
        if (r == null) {
            return b.down().withData("state", "loading").build();
        }
        boolean up = r.worker().running();
        b.status(up).withData("teacher", r.info().id()).withData("sha256", r.info().sha256())
                .withData("stepCounts", r.settings().stepCounts().toString())
                .withData("activePrompts", r.worker().activePrompts())
                .withData("inFlightBlocks", r.worker().inFlightBlocks())
                .withData("rowsPerBlock", r.worker().rowsPerBlock());
        if (r.worker().crashed() != null) {
            b.withData("error", String.valueOf(r.worker().crashed()));
        }
        return b.build();
    }
}
