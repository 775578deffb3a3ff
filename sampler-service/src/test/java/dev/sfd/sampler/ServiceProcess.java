package dev.sfd.sampler;

import dev.sfd.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a child JVM on the local
 * stack, with its own free HTTP and gRPC ports (the launcher's {@link dev.sfd.stack.ServiceProcess}):
 * what the memory test and the benchmark measure.
 */
final class ServiceProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    final dev.sfd.stack.ServiceProcess process;
    final int grpcPort;

    private ServiceProcess(dev.sfd.stack.ServiceProcess process, int grpcPort) {
        this.process = process;
        this.grpcPort = grpcPort;
    }

    /** Starts the service and waits (up to 3 min) until it is ready: a model loaded and warmed up. */
    static ServiceProcess start(LocalStack stack, String name, Map<String, String> config, List<String> jvmOptions)
            throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run 'mvn package' for sampler-service"
                    + " first (integration tests run after it)");
        }
        int grpc = dev.sfd.stack.ServiceProcess.freePort();
        Map<String, String> properties = new LinkedHashMap<>(stack.endpoints().serviceConfig());
        properties.put("quarkus.grpc.server.port", Integer.toString(grpc));
        properties.putAll(config);
        Path log = Files.createTempFile("sfd-sampler-" + name + "-", ".log");
        dev.sfd.stack.ServiceProcess p = dev.sfd.stack.ServiceProcess.start("sampler-service " + name, JAR,
                dev.sfd.stack.ServiceProcess.freePort(), dev.sfd.stack.ServiceProcess.envOf(properties), jvmOptions,
                log, true);
        try {
            p.awaitReady(Duration.ofMinutes(3));
        } catch (RuntimeException | InterruptedException e) {
            p.close();
            throw e;
        }
        return new ServiceProcess(p, grpc);
    }

    long pid() {
        return process.pid();
    }

    String metrics() throws Exception {
        return process.metrics();
    }

    @Override
    public void close() {
        process.close();
    }
}
