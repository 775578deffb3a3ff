package dev.sfd.stack;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The embedded local stack: a real Kafka broker and a real S3-compatible server on loopback, each
 * a child JVM with its own data directory and log file, plus the project's topics and bucket.
 * Closing it stops both servers (S3 first, then Kafka); a JVM shutdown hook does the same, and the
 * servers also stop by themselves when this JVM dies, unless the stack was started detached.
 */
public final class LocalStack implements AutoCloseable {

    private final StackSettings settings;
    private final KafkaSaslSsl saslSsl;
    private final S3Https s3Https;
    private volatile KafkaBroker kafka;
    private volatile S3Server s3;
    private volatile StackEndpoints endpoints;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private LocalStack(StackSettings settings, KafkaSaslSsl saslSsl, S3Https s3Https, KafkaBroker kafka,
                       S3Server s3) {
        this.settings = settings;
        this.saslSsl = saslSsl;
        this.s3Https = s3Https;
        this.kafka = kafka;
        this.s3 = s3;
        this.endpoints = endpointsOf(kafka, s3);
        this.shutdownHook = new Thread(this::stopServers, "sfd-local-stack-shutdown");
        if (!settings.detached()) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts both servers, then creates the topics and the bucket. */
    public static LocalStack start(StackSettings requested) throws IOException, InterruptedException {
        return start(requested, null);
    }

    /**
     * As {@link #start(StackSettings)}, with an extra SASL_SSL listener on the broker when
     * {@code saslSslRequested} is not null (security tests; the PLAINTEXT listener stays).
     */
    public static LocalStack start(StackSettings requested, KafkaSaslSsl saslSslRequested)
            throws IOException, InterruptedException {
        return start(requested, saslSslRequested, null);
    }

    /**
     * As {@link #start(StackSettings, KafkaSaslSsl)}, with an extra HTTPS endpoint on the S3 server
     * when {@code s3HttpsRequested} is not null (security tests; the HTTP endpoint stays). Either
     * option may be null.
     */
    public static LocalStack start(StackSettings requested, KafkaSaslSsl saslSslRequested, S3Https s3HttpsRequested)
            throws IOException, InterruptedException {
        S3Https s3Https = s3HttpsRequested == null ? null
                : s3HttpsRequested.withPort(Ports.resolve(s3HttpsRequested.port()));
        KafkaSaslSsl saslSsl = saslSslRequested == null ? null
                : saslSslRequested.withPort(Ports.resolve(saslSslRequested.port()));
        if (saslSsl != null) {
            Ports.requireFree(saslSsl.port(), "Kafka SASL_SSL listener", "the SASL_SSL port");
        }
        int kafkaPort;
        int controllerPort;
        int s3Port;
        for (int attempt = 1; ; attempt++) {
            kafkaPort = Ports.resolve(requested.kafkaPort());
            controllerPort = Ports.resolve(requested.controllerPort());
            s3Port = Ports.resolve(requested.s3Port());
            try {
                Ports.requireFree(kafkaPort, "Kafka broker", "--kafka-port");
                Ports.requireFree(controllerPort, "Kafka controller", "--controller-port");
                Ports.requireFree(s3Port, "S3 server", "--s3-port");
                break;
            } catch (PortInUseException e) {
                // a port picked for us was taken in the meantime (e.g. as another client's source port): pick again;
                // a port the caller chose is the caller's to change
                boolean anyPicked = requested.kafkaPort() == 0 || requested.controllerPort() == 0
                        || requested.s3Port() == 0;
                if (!anyPicked || attempt >= 5) {
                    throw e;
                }
            }
        }
        StackSettings settings = requested.withPorts(kafkaPort, controllerPort, s3Port);
        Path dir = settings.dataDir().toAbsolutePath();
        Files.createDirectories(dir);
        KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), kafkaPort, controllerPort, settings.detached(),
                saslSsl);
        S3Server s3;
        try {
            s3 = S3Server.start(dir.resolve("s3"), s3Port, settings.accessKey(), settings.secretKey(),
                    settings.detached(), s3Https);
        } catch (IOException | RuntimeException e) {
            kafka.close();
            throw e;
        }
        LocalStack stack = new LocalStack(settings, saslSsl, s3Https, kafka, s3);
        try {
            stack.createTopics();
            stack.createBucket();
            stack.endpoints.save(dir);
        } catch (Exception e) {
            stack.close();
            throw new IllegalStateException("the local stack started but could not be prepared: " + e.getMessage(), e);
        }
        return stack;
    }

    public StackEndpoints endpoints() {
        return endpoints;
    }

    public StackSettings settings() {
        return settings;
    }

    public String bootstrapServers() {
        return endpoints.bootstrapServers();
    }

    /** {@code 127.0.0.1:<port>} of the broker's SASL_SSL listener; fails if the stack was started without one. */
    public String saslSslBootstrapServers() {
        if (saslSsl == null) {
            throw new IllegalStateException("this local stack has no SASL_SSL listener: start it with "
                    + "LocalStack.start(settings, new KafkaSaslSsl(...))");
        }
        return Ports.HOST + ":" + saslSsl.port();
    }

    /** {@code https://127.0.0.1:<port>} of the S3 server's HTTPS endpoint; fails if started without one. */
    public String s3HttpsEndpoint() {
        if (s3Https == null) {
            throw new IllegalStateException("this local stack's S3 server has no HTTPS endpoint: start it with "
                    + "LocalStack.start(settings, null, new S3Https(...))");
        }
        return "https://" + Ports.HOST + ":" + s3Https.port();
    }

    /**
     * Creates (or replaces) a SCRAM-SHA-512 user on the broker through the admin API (over the
     * PLAINTEXT listener); clients then authenticate as it on the SASL_SSL listener.
     */
    public void createScramUser(String user, String password) throws Exception {
        try (Admin admin = newAdmin()) {
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                    user, new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A new MinIO client for this stack's S3 server; the caller closes it. */
    public MinioClient newMinioClient() {
        return MinioClient.builder().endpoint(endpoints.s3Endpoint())
                .credentials(settings.accessKey(), settings.secretKey()).region("us-east-1").build();
    }

    /** A new admin client for this stack's broker; the caller closes it. */
    public Admin newAdmin() {
        return Admin.create(StackProbe.quickAdmin(bootstrapServers()));
    }

    /** Creates the configured topics that do not exist yet. */
    public List<String> createTopics() throws Exception {
        try (Admin admin = newAdmin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : settings.topics()) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
                }
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            return missing.stream().map(NewTopic::name).toList();
        }
    }

    /** Creates the bucket if it does not exist. */
    public void createBucket() throws Exception {
        MinioClient client = newMinioClient();
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(settings.bucket()).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(settings.bucket()).build());
            }
        } finally {
            StackProbe.closeQuietly(client);
        }
    }

    /** Stops only the broker (for tests of what clients see when Kafka goes away). */
    public void stopKafka() {
        kafka.close();
    }

    /**
     * Stops the broker (SIGTERM, a clean shutdown) and starts it again on the same ports and the same
     * data directory, so every topic, record and committed offset is there again (fault tests: a
     * broker restart mid-stream). Clients reconnect by themselves. Returns when the new broker answers.
     */
    public synchronized void restartKafka() throws IOException, InterruptedException {
        requireOpen();
        kafka.close();
        Path dir = settings.dataDir().toAbsolutePath().resolve("kafka");
        kafka = onFreedPorts(() -> KafkaBroker.start(dir, settings.kafkaPort(), settings.controllerPort(),
                settings.detached(), saslSsl));
        endpoints = endpointsOf(kafka, s3);
    }

    /** Stops the S3 server (SIGTERM); {@link #startS3()} brings it back on the same port and data (outage tests). */
    public synchronized void stopS3() {
        requireOpen();
        s3.close();
    }

    /** Starts the S3 server again after {@link #stopS3()}: same port, credentials and stored objects. */
    public synchronized void startS3() throws IOException, InterruptedException {
        requireOpen();
        Path dir = settings.dataDir().toAbsolutePath().resolve("s3");
        s3 = onFreedPorts(() -> S3Server.start(dir, settings.s3Port(), settings.accessKey(), settings.secretKey(),
                settings.detached(), s3Https));
        endpoints = endpointsOf(kafka, s3);
        StackProbe.checkS3(endpoints.s3Endpoint(), settings.accessKey(), settings.secretKey(), settings.bucket());
    }

    private interface ServerStart<T> {
        T start() throws IOException, InterruptedException;
    }

    /** A stopped server's port can linger a moment in the kernel: retry for up to 90 s. */
    private static <T> T onFreedPorts(ServerStart<T> start) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return start.start();
            } catch (PortInUseException e) {
                if (attempt >= 90) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the local stack is closed");
        }
    }

    private StackEndpoints endpointsOf(KafkaBroker k, S3Server s) {
        return new StackEndpoints(k.bootstrapServers(), s.endpoint(), settings.accessKey(), settings.secretKey(),
                settings.bucket(), k.pid(), s.pid());
    }

    /** Fails with a clear message unless both servers answer. */
    public void checkHealthy() {
        StackProbe.checkKafka(bootstrapServers(), Duration.ofSeconds(5));
        StackProbe.checkS3(endpoints.s3Endpoint(), settings.accessKey(), settings.secretKey(), settings.bucket());
    }

    @Override
    public void close() {
        stopServers();
        if (!settings.detached()) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run: nothing to remove
            }
        }
    }

    private synchronized void stopServers() {
        if (closed) {
            return;
        }
        closed = true;
        s3.close();
        kafka.close();
    }

    /** Stops a detached stack recorded in {@code dataDir}; returns how many servers were running. */
    public static int stopDetached(Path dataDir) throws IOException {
        StackEndpoints recorded = StackEndpoints.load(dataDir);
        int stopped = 0;
        for (long pid : new long[] {recorded.s3Pid(), recorded.kafkaPid()}) {
            var handle = ProcessHandle.of(pid);
            if (handle.isPresent() && handle.get().isAlive()) {
                ChildJvm.stop(handle.get(), Duration.ofSeconds(30));
                stopped++;
            }
        }
        Files.deleteIfExists(dataDir.resolve(StackEndpoints.FILE_NAME));
        return stopped;
    }
}
