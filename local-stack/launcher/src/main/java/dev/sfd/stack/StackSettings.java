package dev.sfd.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * What to start: ports (0 = pick a free one), where data and logs live, the object store's
 * credentials and bucket, and the topics to create.
 *
 * @param detached servers outlive this JVM (for {@code sfd local-stack up --detach}); otherwise
 *                 they stop with it, even when it is killed
 */
public record StackSettings(Path dataDir, int kafkaPort, int controllerPort, int s3Port,
                            String accessKey, String secretKey, String bucket,
                            List<TopicSpec> topics, boolean detached) {

    public static final String DEFAULT_ACCESS_KEY = "sfd-local";
    public static final String DEFAULT_SECRET_KEY = "sfd-local-secret";
    public static final String DEFAULT_BUCKET = "sfd-checkpoints";

    public StackSettings {
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("the object store needs a non-empty access key and secret key");
        }
        topics = List.copyOf(topics);
    }

    /** Free ports, default credentials, the project's topics with {@code partitions} partitions each. */
    public static StackSettings ephemeral(Path dataDir, int partitions) {
        return new StackSettings(dataDir, 0, 0, 0, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, DEFAULT_BUCKET,
                TopicSpec.projectTopics(partitions), false);
    }

    public StackSettings withPorts(int kafka, int controller, int s3) {
        return new StackSettings(dataDir, kafka, controller, s3, accessKey, secretKey, bucket, topics, detached);
    }

    public StackSettings withDetached(boolean detach) {
        return new StackSettings(dataDir, kafkaPort, controllerPort, s3Port, accessKey, secretKey, bucket, topics,
                detach);
    }
}
