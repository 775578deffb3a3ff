package dev.sfd.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the project's Quarkus services (teacher-service, student-trainer, sampler-service) running
 * as a child JVM from its build ({@code <module>/target/quarkus-app/quarkus-run.jar}), configured
 * only through environment variables, its output in a log file. It stops with the launching JVM
 * (see {@link ParentWatchdog}) unless started detached. Used by {@code sfd demo}, {@code sfd
 * services up} and the end-to-end and fault tests.
 */
public final class ServiceProcess implements AutoCloseable {

    /** Main class of a Quarkus fast-jar; it finds the application next to its own jar. */
    private static final String QUARKUS_MAIN = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

    private final ChildJvm jvm;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(ChildJvm jvm, int httpPort) {
        this.jvm = jvm;
        this.httpPort = httpPort;
    }

    /** A free loopback port, for a service's HTTP or gRPC server. */
    public static int freePort() {
        return Ports.free();
    }

    /** Where a module's Quarkus build puts its runnable jar. */
    public static Path jarOf(Path repositoryRoot, String module) {
        return repositoryRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /**
     * Starts a service.
     *
     * @param name      the module name, e.g. {@code teacher-service}
     * @param jar       its {@code quarkus-run.jar}
     * @param httpPort  its HTTP port (health and metrics); passed as {@code QUARKUS_HTTP_PORT}
     * @param env       further settings, as the environment variables Quarkus maps to properties
     * @param jvmOptions e.g. {@code -Xmx512m}
     * @param log       file the service's output is appended to
     * @param watchParent stop it when this JVM exits (false for {@code sfd services up --detach})
     */
    public static ServiceProcess start(String name, Path jar, int httpPort, Map<String, String> env,
                                       List<String> jvmOptions, Path log, boolean watchParent) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built: " + jar + " is missing; build it with "
                    + "`mvn -B install -DskipTests -pl " + name + " -am`");
        }
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        ChildJvm jvm = ChildJvm.start(name, jar.toString(), jvmOptions, QUARKUS_MAIN, List.of(), all, log,
                watchParent);
        return new ServiceProcess(jvm, httpPort);
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log's tail if it dies or times out. */
    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        return await("ready", timeout);
    }

    /** Waits until {@code /q/health/live} answers 200 (started, though perhaps not ready to serve). */
    public ServiceProcess awaitLive(Duration timeout) throws InterruptedException {
        return await("live", timeout);
    }

    private ServiceProcess await(String kind, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            jvm.requireAlive();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(healthUri(kind))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
                last = "HTTP " + r.statusCode() + ": " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(jvm.name() + " was not " + kind + " within " + timeout + " (last answer: "
                + last + "); last lines of " + jvm.log() + ":\n" + jvm.tail(20));
    }

    /** GET {@code path} on the service's HTTP port. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Prometheus text of {@code /q/metrics}. */
    public String metrics() throws IOException, InterruptedException {
        return get("/q/metrics").body();
    }

    /** The sum of all samples of one metric (every label combination) on {@code /q/metrics}. */
    public double counter(String metric) throws IOException, InterruptedException {
        return metrics().lines().filter(l -> l.startsWith(metric + " ") || l.startsWith(metric + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Waits for the process to exit by itself; its exit code, or an error after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!jvm.waitFor(timeout)) {
            throw new IllegalStateException(jvm.name() + " still running after " + timeout + "; see " + jvm.log());
        }
        return jvm.exitValue();
    }

    /** Everything the service wrote to its log so far. */
    public String logText() throws IOException {
        return Files.readString(jvm.log());
    }

    /** Configuration properties as the environment variables Quarkus maps to them ({@code sfd.s3.access-key} → {@code SFD_S3_ACCESS_KEY}). */
    public static Map<String, String> envOf(Map<String, String> properties) {
        Map<String, String> env = new LinkedHashMap<>();
        properties.forEach((k, v) -> env.put(k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT), v));
        return env;
    }

    /** The readiness document as the service reports it (for status displays), or the error. */
    public String readiness() {
        try {
            return http.send(HttpRequest.newBuilder(healthUri("ready")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private URI healthUri(String kind) {
        return URI.create("http://127.0.0.1:" + httpPort + "/q/health/" + kind);
    }

    public String name() {
        return jvm.name();
    }

    public long pid() {
        return jvm.pid();
    }

    public int httpPort() {
        return httpPort;
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    public Path log() {
        return jvm.log();
    }

    /** The last lines of its log, for error messages. */
    public String tail(int lines) {
        return jvm.tail(lines);
    }

    /** SIGKILL, no shutdown hooks: what a crash looks like (fault tests). */
    public void kill() {
        ProcessHandle.of(jvm.pid()).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
    }

    /** SIGTERM (graceful shutdown), then SIGKILL after 30 s. */
    @Override
    public void close() {
        jvm.close();
    }
}
