package dev.sfd.cli.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/** The services' settings for the end-to-end test: mixture2d, NFE 2, small batches and frequent checkpoints. */
final class EndToEndSettings {

    private EndToEndSettings() {
    }

    static Map<String, String> services(String student, long budget, int grpcPort) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("sfd.teacher.model", "mixture2d");
        s.put("sfd.distill.solver", "dpm++2m");
        s.put("sfd.distill.k", "8");
        s.put("sfd.distill.step-counts", "3");
        s.put("sfd.trainer.student-name", student);
        s.put("sfd.sampler.student", student);
        s.put("sfd.trainer.batch", "64");
        s.put("sfd.trainer.budget", Long.toString(budget));
        s.put("sfd.trainer.checkpoint-every-steps", "24"); // 2048 trajectories = 64 Adam steps: a few versions
        s.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        return s;
    }
}
