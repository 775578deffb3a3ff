package dev.sfd.teacher;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The packaged teacher-service ({@code target/quarkus-app/quarkus-run.jar}) as a separate JVM with
 * environment overrides, as an operator runs it: the launcher's {@link dev.sfd.stack.ServiceProcess}
 * with this module's jar and log directory.
 */
final class ServiceProcess implements AutoCloseable {

    private final dev.sfd.stack.ServiceProcess process;

    private ServiceProcess(dev.sfd.stack.ServiceProcess process) {
        this.process = process;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("teacher.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: package the service first"
                    + " (mvn -pl teacher-service -am verify runs these tests after packaging)");
        }
        return jar;
    }

    /** Starts a service JVM with {@code env} added to this process's environment. */
    static ServiceProcess start(String name, Map<String, String> env) throws IOException {
        return new ServiceProcess(dev.sfd.stack.ServiceProcess.start("teacher-service " + name, jar(),
                dev.sfd.stack.ServiceProcess.freePort(), env, List.of("-Xmx256m"),
                Path.of("target", "it-logs", name + ".log"), true));
    }

    ServiceProcess awaitReady(Duration timeout) throws Exception {
        process.awaitReady(timeout);
        return this;
    }

    double counter(String metric) throws Exception {
        return process.counter(metric);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return process.get(path);
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    String log() throws IOException {
        return process.logText();
    }

    /** SIGKILL: no shutdown hook, no last commit. */
    void kill() {
        process.kill();
    }

    /** SIGTERM: graceful shutdown. */
    @Override
    public void close() {
        process.close();
    }
}
