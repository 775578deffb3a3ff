package dev.sfd.cli.services;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code sfd services up} recorded in {@code <dataDir>/services.properties}: per service its
 * pid, process start time, HTTP port, log and teacher. Saving a run <em>merges</em>: the services it started replace
 * their own records, every other service's record stays, so restarting one service
 * ({@code up --only student-trainer}) leaves {@code status} and {@code down} seeing all of them.
 */
public final class ServiceRecords {

    public static final String FILE_NAME = "services.properties";

    /**
     * One service as recorded; {@code startedMillis} (0 = unknown) tells the recorded process from a
     * later one that got the same pid.
     */
    public record Entry(long pid, long startedMillis, int httpPort, String log, String teacher) {

        /** The entry of a running process {@code pid}, with its start time. */
        public static Entry of(long pid, int httpPort, String log, String teacher) {
            return new Entry(pid, startOf(pid), httpPort, log, teacher);
        }

        /** Whether the recorded process still runs (the same pid with another start time is another process). */
        public boolean alive() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> startedMillis == 0 || startOf(pid) == startedMillis).isPresent();
        }

        private static long startOf(long pid) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(java.time.Instant::toEpochMilli)
                    .orElse(0L);
        }
    }

    private ServiceRecords() {
    }

    /** The records in {@code dataDir}, or a clear error when there are none. */
    public static Map<Service, Entry> load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new IllegalStateException("no services recorded in " + dataDir.toAbsolutePath() + " (" + FILE_NAME
                    + " is missing): start them with 'sfd services up'");
        }
        return read(file);
    }

    /** The records in {@code dataDir}; empty when there are none. */
    public static Map<Service, Entry> loadIfAny(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        return Files.exists(file) ? read(file) : new LinkedHashMap<>();
    }

    /** Records {@code started}, keeping every other service's record already in {@code dataDir}. */
    public static void save(Path dataDir, Map<Service, Entry> started) throws IOException {
        Map<Service, Entry> merged = loadIfAny(dataDir);
        merged.putAll(started);
        Properties props = new Properties();
        for (Service s : Service.all()) {
            Entry e = merged.get(s);
            if (e != null) {
                props.setProperty(s.module() + ".pid", Long.toString(e.pid()));
                props.setProperty(s.module() + ".started", Long.toString(e.startedMillis()));
                props.setProperty(s.module() + ".http-port", Integer.toString(e.httpPort()));
                props.setProperty(s.module() + ".log", e.log());
                if (e.teacher() != null) {
                    props.setProperty(s.module() + ".teacher", e.teacher());
                }
            }
        }
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            props.store(out, "SFD services: written by 'sfd services up' (one run's services replace their own lines)");
        }
        Files.move(tmp, dataDir.resolve(FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The teacher the other recorded, still running services use, if it differs from {@code teacher}. */
    public static Optional<String> otherTeacher(Map<Service, Entry> recorded, Iterable<Service> starting,
                                                String teacher) {
        Map<Service, Entry> others = new LinkedHashMap<>(recorded);
        starting.forEach(others::remove);
        return others.values().stream().filter(Entry::alive).map(Entry::teacher)
                .filter(t -> t != null && !t.equals(teacher)).findFirst();
    }

    private static Map<Service, Entry> read(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<Service, Entry> out = new LinkedHashMap<>();
        for (Service s : Service.all()) {
            String pid = p.getProperty(s.module() + ".pid");
            if (pid == null) {
                continue;
            }
            try {
                out.put(s, new Entry(Long.parseLong(pid.trim()),
                        Long.parseLong(p.getProperty(s.module() + ".started", "0").trim()),
                        Integer.parseInt(p.getProperty(s.module() + ".http-port", "0").trim()),
                        p.getProperty(s.module() + ".log", ""), p.getProperty(s.module() + ".teacher")));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(file.toAbsolutePath() + ": " + s.module() + ".pid / .http-port must be"
                        + " numbers, got '" + pid + "' / '" + p.getProperty(s.module() + ".http-port") + "': fix or"
                        + " delete the file (it is rewritten by 'sfd services up')", e);
            }
        }
        return out;
    }
}
