package dev.sfd.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real S3-compatible object server (s3proxy over a filesystem backend) with access/secret key
 * authentication (AWS signature v2 or v4), path-style, on loopback.
 */
final class S3Server implements AutoCloseable {

    private final ChildJvm process;
    private final int port;

    private S3Server(ChildJvm process, int port) {
        this.process = process;
        this.port = port;
    }

    static S3Server start(Path dir, int port, String accessKey, String secretKey, boolean detached)
            throws IOException {
        return start(dir, port, accessKey, secretKey, detached, null);
    }

    /** As above, plus an HTTPS endpoint when {@code https} is not null (its port already resolved). */
    static S3Server start(Path dir, int port, String accessKey, String secretKey, boolean detached, S3Https https)
            throws IOException {
        Ports.requireFree(port, "S3 server", "--s3-port");
        if (https != null) {
            Ports.requireFree(https.port(), "S3 server (HTTPS)", "the HTTPS port");
        }
        String classpath = ServerClasspath.of("s3");
        Path blobs = dir.resolve("blobs");
        Files.createDirectories(blobs);
        Path config = dir.resolve("s3proxy.conf");
        Path logback = dir.resolve("logback.xml");
        Files.writeString(config, String.join("\n",
                "s3proxy.endpoint=http://" + Ports.HOST + ":" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + blobs.toAbsolutePath(),
                "jclouds.identity=local",
                "jclouds.credential=local",
                https == null ? "" : String.join("\n",
                        "s3proxy.secure-endpoint=https://" + Ports.HOST + ":" + https.port(),
                        "s3proxy.keystore-path=" + https.keyStore().toAbsolutePath(),
                        "s3proxy.keystore-password=" + https.keyStorePassword(),
                        ""),
                ""), StandardCharsets.UTF_8);
        Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
        List<String> jvm = List.of("-Xms64m", "-Xmx256m", "-Dlogback.configurationFile=" + logback);
        ChildJvm child = ChildJvm.start("S3 server", classpath, jvm, "org.gaul.s3proxy.Main",
                List.of("--properties", config.toString()), dir.resolve("s3.log"), !detached);
        S3Server server = new S3Server(child, port);
        try {
            StackProbe.awaitPort("S3 server", port, child, Duration.ofSeconds(60));
            if (https != null) {
                StackProbe.awaitPort("S3 server (HTTPS)", https.port(), child, Duration.ofSeconds(60));
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    String endpoint() {
        return "http://" + Ports.HOST + ":" + port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }

    private static final String LOGBACK = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d %level %logger{20} - %msg%n</pattern></encoder>
              </appender>
              <root level="WARN"><appender-ref ref="OUT"/></root>
              <logger name="org.gaul.s3proxy" level="INFO"/>
            </configuration>
            """;
}
