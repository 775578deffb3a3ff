package dev.sfd.trainer;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the trainer is built (teacher loaded, writer lease held), not fenced, and its last
 * checkpoint publication did not fail; otherwise says what is missing. Broker and bucket have their
 * own checks (Kafka connection, object store).
 */
@Readiness
@ApplicationScoped
public class TrainerReadiness implements HealthCheck {

    private final TrainerService service;

    public TrainerReadiness(TrainerService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        List<String> problems = service.problems();
        var stats = service.stage().stats();
        return HealthCheckResponse.named("student trainer").status(problems.isEmpty())
                .withData("student", service.student())
                .withData("teacher", service.teacherLabel())
                .withData("pass", stats.pass.get())
                .withData("trajectories", stats.trained.get())
                .withData("lastVersion", stats.lastVersion.get())
                .withData("problem", problems.isEmpty() ? "none" : String.join("; ", problems))
                .build();
    }
}
