package dev.sfd.cli;

import dev.sfd.stack.StackSettings;
import dev.sfd.stack.TopicSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that start a local stack. */
final class StackOptions {

    @Option(names = "--data-dir", defaultValue = ".sfd/stack",
            description = "Where the servers keep data, logs and stack.properties (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka listener port, 0 = any free port.")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "9093", description = "KRaft controller port, 0 = any.")
    int controllerPort;

    @Option(names = "--s3-port", defaultValue = "9000", description = "S3 server port, 0 = any free port.")
    int s3Port;

    @Option(names = "--partitions", defaultValue = "3",
            description = "Partitions of sfd.prompts and sfd.trajectories (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--access-key", defaultValue = StackSettings.DEFAULT_ACCESS_KEY, description = "S3 access key.")
    String accessKey;

    @Option(names = "--secret-key", defaultValue = StackSettings.DEFAULT_SECRET_KEY, description = "S3 secret key.")
    String secretKey;

    @Option(names = "--bucket", defaultValue = StackSettings.DEFAULT_BUCKET, description = "Checkpoint bucket.")
    String bucket;

    StackSettings settings(boolean detached) {
        return new StackSettings(dataDir, kafkaPort, controllerPort, s3Port, accessKey, secretKey, bucket,
                TopicSpec.projectTopics(partitions), detached);
    }
}
