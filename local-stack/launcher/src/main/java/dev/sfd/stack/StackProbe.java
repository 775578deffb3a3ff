package dev.sfd.stack;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Is a server up? Every check is bounded in time and fails with a sentence that names the server
 * and its address, never by hanging.
 */
public final class StackProbe {

    private StackProbe() {
    }

    /** Admin-client settings that give up quickly instead of retrying for minutes. */
    public static Properties quickAdmin(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return p;
    }

    /** Throws {@link StackUnavailableException} unless the broker answers within {@code timeout}. */
    public static void checkKafka(String bootstrapServers, Duration timeout) {
        try (Admin admin = Admin.create(quickAdmin(bootstrapServers))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new StackUnavailableException("the Kafka broker at " + bootstrapServers
                    + " is not reachable (no answer within " + timeout.toSeconds() + " s): is the local stack up?"
                    + " Start it with: sfd local-stack up", e);
        }
    }

    /** Throws {@link StackUnavailableException} unless the S3 server answers and the credentials work. */
    public static void checkS3(String endpoint, String accessKey, String secretKey, String bucket) {
        MinioClient client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey)
                .region("us-east-1").build();
        try {
            client.setTimeout(3000, 3000, 3000);
            client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            throw new StackUnavailableException("the S3 server at " + endpoint
                    + " is not reachable or refused the credentials: " + e.getMessage(), e);
        } finally {
            closeQuietly(client);
        }
    }

    static void awaitKafka(String bootstrapServers, ChildJvm broker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            broker.requireAlive();
            try {
                checkKafka(bootstrapServers, Duration.ofSeconds(2));
                return;
            } catch (StackUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw new StackUnavailableException("the Kafka broker did not become ready within "
                            + timeout.toSeconds() + " s; last lines of " + broker.log() + ":\n" + broker.tail(20), e);
                }
                Thread.sleep(200);
            }
        }
    }

    static void awaitPort(String what, int port, ChildJvm server, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Ports.listening(port)) {
            server.requireAlive();
            if (System.nanoTime() > deadline) {
                throw new StackUnavailableException("the " + what + " did not listen on port " + port + " within "
                        + timeout.toSeconds() + " s; last lines of " + server.log() + ":\n" + server.tail(20));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackUnavailableException("interrupted while waiting for the " + what, e);
            }
        }
    }

    static void closeQuietly(MinioClient client) {
        try {
            client.close();
        } catch (Exception ignored) {
            // closing an HTTP client pool: nothing useful to report
        }
    }
}
