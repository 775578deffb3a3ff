package dev.sfd.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How to reach a running stack. Saved as {@code stack.properties} in the data directory so that
 * {@code status} and {@code down} (and the demo) find a stack started by another process.
 */
public record StackEndpoints(String bootstrapServers, String s3Endpoint, String accessKey, String secretKey,
                             String bucket, long kafkaPid, long s3Pid) {

    public static final String FILE_NAME = "stack.properties";

    /** The settings a Quarkus service needs to use this stack (same keys as application.properties). */
    public Map<String, String> serviceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers);
        config.put("sfd.s3.endpoint", s3Endpoint);
        config.put("sfd.s3.access-key", accessKey);
        config.put("sfd.s3.secret-key", secretKey);
        config.put("sfd.s3.bucket", bucket);
        return config;
    }

    public void save(Path dataDir) throws IOException {
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap.servers", bootstrapServers);
        p.setProperty("s3.endpoint", s3Endpoint);
        p.setProperty("s3.access-key", accessKey);
        p.setProperty("s3.secret-key", secretKey);
        p.setProperty("s3.bucket", bucket);
        p.setProperty("kafka.pid", Long.toString(kafkaPid));
        p.setProperty("s3.pid", Long.toString(s3Pid));
        Files.createDirectories(dataDir);
        try (Writer out = Files.newBufferedWriter(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            p.store(out, "SFD local stack: written by 'sfd local-stack up'");
        }
    }

    /** The endpoints saved in {@code dataDir}, or a clear error when no stack was started there. */
    public static StackEndpoints load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new StackUnavailableException("no local stack recorded in " + dataDir.toAbsolutePath()
                    + " (" + FILE_NAME + " is missing): start one with 'sfd local-stack up'");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new StackEndpoints(p.getProperty("kafka.bootstrap.servers"), p.getProperty("s3.endpoint"),
                p.getProperty("s3.access-key"), p.getProperty("s3.secret-key"), p.getProperty("s3.bucket"),
                Long.parseLong(p.getProperty("kafka.pid", "0")), Long.parseLong(p.getProperty("s3.pid", "0")));
    }
}
