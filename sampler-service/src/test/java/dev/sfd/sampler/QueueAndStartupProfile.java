package dev.sfd.sampler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * An empty store at start (no model: UNAVAILABLE, not ready), and a batcher that holds requests
 * for 5 s unless 64 samples arrive, with room for 8: a full queue and a passed deadline are then
 * reproducible without any race.
 */
public class QueueAndStartupProfile implements QuarkusTestProfile {

    static final String STUDENT = "queue-it";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("sfd.sampler.max-batch", "64", "sfd.sampler.max-count", "8", "sfd.sampler.queue-capacity", "8",
                "sfd.sampler.max-queue-delay", "5s", "sfd.sampler.poll-interval", "3s",
                "sfd.sampler.idle-fast-path", "false", "sfd.sampler.delay-always", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SamplerTestStack.class, Map.of("publish", "false", "student", STUDENT)));
    }
}
