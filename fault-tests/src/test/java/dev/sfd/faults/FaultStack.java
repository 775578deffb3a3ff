package dev.sfd.faults;

import dev.sfd.cli.services.Repository;
import dev.sfd.stack.KafkaSaslSsl;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.ProcessMemory;
import dev.sfd.stack.S3Https;
import dev.sfd.stack.ServiceProcess;
import dev.sfd.stack.StackSettings;
import dev.sfd.stack.TopicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local stack (own data directory, a distinctive S3 secret the security scan looks for) plus
 * service instances started as child JVMs, several of the same module if asked (two teacher
 * replicas), and a sampler of each instance's resident memory (peak RSS per logical service).
 * Closing stops every instance still running, then the stack.
 */
final class FaultStack implements AutoCloseable {

    /** The S3 secret of the fault runs: long and unusual, so finding it anywhere is a leak, not chance. */
    static final String SECRET = "sfd-fault-secret-6b1d93e07c2a45f8";
    static final String ACCESS_KEY = "sfd-fault-access";

    private final Path dir;
    private final LocalStack stack;
    private final List<ServiceProcess> started = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> peakRssMiB = new ConcurrentHashMap<>();
    private final Map<ServiceProcess, String> logical = new ConcurrentHashMap<>();
    private final Thread rssSampler;
    private final List<Managed> managed = Collections.synchronizedList(new ArrayList<>());
    private final Map<Managed, Integer> downCounts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    FaultStack(Path dir, int partitions) throws IOException, InterruptedException {
        this(dir, partitions, null, null);
    }

    /** With a SASL_SSL listener on the broker and/or an HTTPS endpoint on the S3 server (either may be null). */
    FaultStack(Path dir, int partitions, KafkaSaslSsl saslSsl, S3Https s3Https)
            throws IOException, InterruptedException {
        this.dir = dir;
        StackSettings defaults = StackSettings.ephemeral(dir.resolve("stack"), partitions);
        this.stack = LocalStack.start(new StackSettings(defaults.dataDir(), 0, 0, 0, ACCESS_KEY, SECRET,
                StackSettings.DEFAULT_BUCKET, TopicSpec.projectTopics(partitions), false), saslSsl, s3Https);
        this.rssSampler = new Thread(this::sampleRss, "fault-rss-sampler");
        rssSampler.setDaemon(true);
        rssSampler.start();
    }

    LocalStack stack() {
        return stack;
    }

    Path dir() {
        return dir;
    }

    /** The stack's settings for services plus {@code extra}, as property names. */
    Map<String, String> config(Map<String, String> extra) {
        Map<String, String> c = new LinkedHashMap<>(stack.endpoints().serviceConfig());
        c.putAll(extra);
        return c;
    }

    /**
     * Starts {@code module} as instance {@code instance} (log {@code logs/<instance>.log}, appended
     * to across restarts); its peak RSS counts under {@code logicalName}.
     */
    ServiceProcess start(String module, String instance, String logicalName, Map<String, String> properties)
            throws IOException {
        Path jar = ServiceProcess.jarOf(Repository.root(), module);
        Path log = dir.resolve("logs").resolve(instance + ".log");
        Files.createDirectories(log.getParent());
        ServiceProcess p = ServiceProcess.start(instance, jar, ServiceProcess.freePort(), ServiceProcess.envOf(properties),
                List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"), log, true);
        started.add(p);
        logical.put(p, logicalName);
        return p;
    }

    /**
     * Starts {@code module} under the supervisor: when its {@code /q/health/live} answers DOWN three
     * times in a row (2 s apart), it is restarted gracefully, as a liveness probe would.
     */
    Managed managed(String module, String instance, String logicalName, Map<String, String> properties)
            throws IOException {
        Managed m = new Managed(instance, () -> start(module, instance, logicalName, properties));
        managed.add(m);
        return m;
    }

    /** Liveness restarts per instance (only those with at least one). */
    Map<String, Integer> livenessRestarts() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Managed m : List.copyOf(managed)) {
            if (m.livenessRestarts() > 0) {
                out.put(m.name(), m.livenessRestarts());
            }
        }
        return out;
    }

    private void supervise() {
        for (Managed m : List.copyOf(managed)) {
            ServiceProcess p = m.current();
            if (m.stopped() || !p.isAlive()) {
                continue;
            }
            String live = Http.get(p.httpPort(), "/q/health/live");
            if (live.contains("\"status\": \"DOWN\"") || live.contains("\"status\":\"DOWN\"")) {
                if (downCounts.merge(m, 1, Integer::sum) >= 3) {
                    downCounts.remove(m);
                    System.out.println("supervisor: " + m.name() + " liveness DOWN 3 times: restarting it ("
                            + live.replace('\n', ' ') + ")");
                    try {
                        m.restartForLiveness();
                    } catch (IOException e) {
                        System.out.println("supervisor: cannot restart " + m.name() + ": " + e);
                    }
                }
            } else {
                downCounts.remove(m);
            }
        }
    }

    Map<String, Long> peakRssMiB() {
        return new java.util.TreeMap<>(peakRssMiB);
    }

    /** Every log file of the run: services' and the stack's servers'. */
    List<Path> logFiles() throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".log"))
                    .toList();
        }
    }

    private void sampleRss() {
        long ticks = 0;
        while (!closed) {
            if (ticks++ % 4 == 0) {
                supervise();
            }
            for (ServiceProcess p : List.copyOf(started)) {
                if (p.isAlive()) {
                    long rss = ProcessMemory.rssMiB(p.pid());
                    if (rss > 0) {
                        peakRssMiB.merge(logical.get(p), rss, Math::max);
                    }
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        rssSampler.interrupt();
        List<ServiceProcess> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        reverse.forEach(ServiceProcess::close);
        stack.close();
    }

    static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }
}
