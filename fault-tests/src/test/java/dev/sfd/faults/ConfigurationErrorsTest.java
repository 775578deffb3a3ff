package dev.sfd.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.stack.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration errors of the bad-input table, on the packaged trainer (the service that uses both
 * Kafka and S3): a bucket that does not exist, wrong S3 credentials, an unreachable broker. Each
 * time the service either stops or stays not-ready, and says which setting is wrong and where (the
 * bucket name, the endpoint, the broker address), while the wrong secret itself is never printed.
 */
@Tag("faults")
class ConfigurationErrorsTest {

    private static final String WRONG_SECRET = "sfd-wrong-secret-0d5e27c9a4";

    @Test
    void missingBucketWrongCredentialsAndUnreachableBrokerAreNamed(@TempDir Path dir) throws Exception {
        try (FaultStack fs = new FaultStack(dir, 1)) {
            var e = fs.stack().endpoints();
            int deadBroker = ServiceProcess.freePort();
            Map<String, Map<String, String>> cases = new LinkedHashMap<>();
            cases.put("missing-bucket", Map.of("sfd.s3.bucket", "sfd-no-such-bucket"));
            cases.put("wrong-credentials", Map.of("sfd.s3.secret-key", WRONG_SECRET));
            cases.put("unreachable-broker", Map.of("kafka.bootstrap.servers", "127.0.0.1:" + deadBroker));
            Map<String, ServiceProcess> running = new LinkedHashMap<>();
            for (var c : cases.entrySet()) {
                Map<String, String> extra = new LinkedHashMap<>(c.getValue());
                extra.put("sfd.trainer.student-name", "config-" + c.getKey());
                running.put(c.getKey(), fs.start("student-trainer", "trainer-" + c.getKey(), c.getKey(),
                        fs.config(extra)));
            }
            Map<String, String> said = new LinkedHashMap<>();
            for (var r : running.entrySet()) {
                said.put(r.getKey(), explanation(r.getValue()));
            }
            String all = said.toString();
            assertTrue(said.get("missing-bucket").contains("sfd-no-such-bucket")
                    && said.get("missing-bucket").contains(e.s3Endpoint()), "names the bucket and where: " + all);
            assertTrue(said.get("wrong-credentials").contains(e.s3Endpoint()), "names the endpoint: " + all);
            assertTrue(said.get("unreachable-broker").contains("127.0.0.1:" + deadBroker)
                    || said.get("unreachable-broker").toLowerCase().contains("kafka"), "names the broker: " + all);
            for (ServiceProcess p : running.values()) {
                p.close();
            }
            SecretScan scan = new SecretScan(WRONG_SECRET);
            for (Path log : fs.logFiles()) {
                scan.file(log);
            }
            assertEquals(List.of(), scan.leaks(), "the wrong secret is not printed either");
            System.out.println("configuration errors, as the trainer reports them:");
            said.forEach((k, v) -> System.out.println("  " + k + ": " + v.replace('\n', ' ')));
            Files.createDirectories(Path.of("target", "fault-figures"));
            StringBuilder b = new StringBuilder();
            said.forEach((k, v) -> b.append("- ").append(k).append(": `").append(v.replace('\n', ' ')
                    .replace('`', '\'')).append("`\n"));
            Files.writeString(Path.of("target", "fault-figures", "configuration-errors.md"), b.toString());
        }
    }

    /** The first ERROR line of the log and the 30 lines after it (the exception and its message), else the tail. */
    private static String firstError(ServiceProcess p) {
        try {
            List<String> lines = p.logText().lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(" ERROR ")) {
                    return String.join("\n", lines.subList(i, Math.min(lines.size(), i + 30)));
                }
            }
        } catch (java.io.IOException e) {
            // fall back to the tail
        }
        return p.tail(15);
    }

    private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The readiness document, waiting up to 90 s for it (Http.get's 10 s is shorter than a failing Kafka check). */
    private static String readiness(int port) throws InterruptedException {
        try {
            return CLIENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/q/health/ready")).timeout(Duration.ofSeconds(90)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "unreachable: " + e;
        }
    }

    /** Waits until the service has exited or reports not-ready for 20 s; returns its readiness text or log tail. */
    private static String explanation(ServiceProcess p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        long downSince = 0;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return "exited: " + firstError(p);
            }
            String r = readiness(p.httpPort()); // the Kafka check with no broker takes 10-30 s to answer
            if (r.contains("\"DOWN\"")) {
                if (downSince == 0) {
                    downSince = System.nanoTime();
                } else if (System.nanoTime() - downSince > Duration.ofSeconds(20).toNanos()) {
                    return "not ready: " + r;
                }
            } else if (r.contains("\"UP\"")) {
                throw new AssertionError(p.name() + " became ready despite the bad configuration: " + r);
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(p.name() + " neither stopped nor reported not-ready within 4 minutes:\n"
                + p.tail(30));
    }
}
