package dev.sfd.cli.services;

import dev.sfd.stack.ServiceProcess;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Services started by this process, as child JVMs from their Quarkus builds, logs under
 * {@code <dataDir>/logs/<module>.log}. Closing stops them in the reverse order of starting.
 * {@link #save} records pids and ports in {@code services.properties} for {@code sfd services status/down}.
 */
public final class RunningServices implements AutoCloseable {

    public static final String FILE_NAME = "services.properties";

    private final Path dataDir;
    private final Map<Service, ServiceProcess> running = new LinkedHashMap<>();

    public RunningServices(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * Starts {@code service} with the given configuration properties (passed as environment variables).
     */
    public ServiceProcess start(Service service, int httpPort, Map<String, String> properties, boolean watchParent)
            throws IOException {
        Path jar = ServiceProcess.jarOf(Repository.root(), service.module());
        Path log = dataDir.resolve("logs").resolve(service.module() + ".log");
        ServiceProcess p = ServiceProcess.start(service.module(), jar, httpPort, ServiceProcess.envOf(properties),
                List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError"), log, watchParent);
        running.put(service, p);
        return p;
    }

    public ServiceProcess get(Service service) {
        ServiceProcess p = running.get(service);
        if (p == null) {
            throw new IllegalStateException(service.module() + " was not started");
        }
        return p;
    }

    public Map<Service, ServiceProcess> all() {
        return Collections.unmodifiableMap(running);
    }

    /** Waits for readiness of every service started so far, in order. */
    public void awaitReady(Duration each) throws InterruptedException {
        for (ServiceProcess p : running.values()) {
            p.awaitReady(each);
        }
    }

    /** One line per service: name, pid, log file: what to look at when something failed. */
    public String describeLogs() {
        StringBuilder b = new StringBuilder();
        running.values().forEach(p -> b.append("  ").append(p.name()).append(" (pid ").append(p.pid())
                .append(p.isAlive() ? ", running" : ", exited").append("): ").append(p.log().toAbsolutePath())
                .append('\n'));
        return b.toString();
    }

    public void save() throws IOException {
        Properties props = new Properties();
        running.forEach((s, p) -> {
            props.setProperty(s.module() + ".pid", Long.toString(p.pid()));
            props.setProperty(s.module() + ".http-port", Integer.toString(p.httpPort()));
            props.setProperty(s.module() + ".log", p.log().toAbsolutePath().toString());
        });
        Files.createDirectories(dataDir);
        try (Writer out = Files.newBufferedWriter(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            props.store(out, "SFD services: written by 'sfd services up'");
        }
    }

    /** What {@link #save} recorded in {@code dataDir}, or a clear error. */
    public static Properties load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new IllegalStateException("no services recorded in " + dataDir.toAbsolutePath() + " (" + FILE_NAME
                    + " is missing): start them with 'sfd services up'");
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    @Override
    public void close() {
        List<ServiceProcess> reverse = new ArrayList<>(running.values());
        Collections.reverse(reverse);
        reverse.forEach(ServiceProcess::close);
        running.clear();
    }
}
