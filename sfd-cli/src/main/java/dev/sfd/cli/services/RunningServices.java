package dev.sfd.cli.services;

import dev.sfd.stack.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Services started by this process, as child JVMs from their Quarkus builds, logs under
 * {@code <dataDir>/logs/<module>.log}. Closing stops them in the reverse order of starting.
 * {@link #save} records pids and ports in {@code services.properties} for {@code sfd services status/down}
 * ({@link ServiceRecords}: other services' records are kept).
 */
public final class RunningServices implements AutoCloseable {

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

    /**
     * Records this run's services (pid, port, log, {@code teacher}) in {@code services.properties},
     * keeping the records of services this run did not start ({@link ServiceRecords#save}).
     */
    public void save(String teacher) throws IOException {
        Map<Service, ServiceRecords.Entry> started = new LinkedHashMap<>();
        running.forEach((s, p) -> started.put(s, ServiceRecords.Entry.of(p.pid(), p.httpPort(),
                p.log().toAbsolutePath().toString(), teacher)));
        ServiceRecords.save(dataDir, started);
    }

    @Override
    public void close() {
        List<ServiceProcess> reverse = new ArrayList<>(running.values());
        Collections.reverse(reverse);
        reverse.forEach(ServiceProcess::close);
        running.clear();
    }
}
