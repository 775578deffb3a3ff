package dev.sfd.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus tests: {@code @QuarkusTestResource(LocalStackTestResource.class)} points the service at
 * the shared local stack of this test JVM (Kafka bootstrap servers and S3 endpoint/credentials).
 */
public final class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return SharedLocalStack.get().endpoints().serviceConfig();
    }

    @Override
    public void stop() {
        // the shared stack lives as long as the test JVM and stops with it
    }
}
