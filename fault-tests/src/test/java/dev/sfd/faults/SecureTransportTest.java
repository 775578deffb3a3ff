package dev.sfd.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.cli.demo.TopicReader;
import dev.sfd.cli.services.PromptPublisher;
import dev.sfd.cli.services.SamplerClient;
import dev.sfd.contract.Topics;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreProbe;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.stack.KafkaSaslSsl;
import dev.sfd.stack.S3Https;
import dev.sfd.stack.ServiceProcess;
import dev.sfd.stack.StackEndpoints;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted and authenticated transports on the local stack, certificates generated here (keytool,
 * in the test's temporary directory; nothing committed), every service configured only through
 * environment variables:
 * <ul>
 *   <li>Kafka SASL/SCRAM-SHA-512 over TLS: the broker gets a SASL_SSL listener, a SCRAM user is
 *       created through the admin API, the packaged teacher connects to that listener only
 *       ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG},
 *       {@code KAFKA_SSL_TRUSTSTORE_*}), consumes a prompt published over SASL_SSL and produces all
 *       its trajectories; a teacher with a wrong password stays not-ready and says the
 *       authentication failed;</li>
 *   <li>HTTPS to S3: s3proxy's secure endpoint with a generated key store; the trainer stores a
 *       checkpoint and the sampler serves it, both over HTTPS trusting the CA given in
 *       {@code SFD_S3_CA_FILE}; without that file the TLS handshake is refused, and the probe says
 *       where.</li>
 * </ul>
 * No password, key-store password or S3 secret appears in any log of the run.
 */
@Tag("faults")
class SecureTransportTest {

    private static final String KAFKA_USER = "sfd-teacher";
    private static final String KAFKA_PASSWORD = "sfd-scram-pass-5e8a1c93f0";
    private static final String WRONG_KAFKA_PASSWORD = "sfd-scram-wrong-27b4d0e6aa";
    private static final String STORE_PASSWORD = "sfd-store-pass-a41f6c2e77";
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final String STUDENT = "https-student";

    private final String mode = Mixture2d.ring().modes().get(0).name();

    @Test
    void teacherUsesSaslScramOverTlsAndAWrongPasswordIsNamed(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("broker.p12");
        Path pem = dir.resolve("broker.pem");
        Path trust = dir.resolve("kafka-truststore.p12");
        Certificates.serverKeyStore(keys, "broker", STORE_PASSWORD, pem);
        Certificates.trustStore(trust, pem, STORE_PASSWORD);
        try (FaultStack fs = new FaultStack(dir.resolve("run"), 1, new KafkaSaslSsl(0, keys, STORE_PASSWORD), null)) {
            fs.stack().createScramUser(KAFKA_USER, KAFKA_PASSWORD);
            String secure = fs.stack().saslSslBootstrapServers();

            Map<String, String> good = teacherConfig(fs, secure, trust, KAFKA_PASSWORD, "sfd-teacher-sasl");
            ServiceProcess teacher = fs.start("teacher-service", "teacher-sasl", "teacher-service", good);
            teacher.awaitReady(WAIT);

            int count = 8;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientSecurity(secure, trust,
                    KAFKA_PASSWORD), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.PROMPTS, "sasl-1",
                        PromptPublisher.record("sasl-1", mode, count, 41L))).get();
            }
            Set<Integer> indices = awaitTrajectories(fs.stack().endpoints(), "sasl-1", count);
            assertEquals(count, indices.size(), "every trajectory of the prompt, produced over SASL_SSL");

            Map<String, String> bad = teacherConfig(fs, secure, trust, WRONG_KAFKA_PASSWORD, "sfd-teacher-wrong");
            ServiceProcess wrong = fs.start("teacher-service", "teacher-wrong-password", "teacher-service", bad);
            String said = awaitLog(wrong, "Authentication failed");
            String readiness = wrong.readiness();
            assertTrue(!readiness.contains("\"UP\"") || readiness.contains("\"DOWN\""),
                    "a teacher that cannot authenticate is not ready: " + readiness);
            assertTrue(said.contains("invalid credentials") && said.contains("SCRAM-SHA-512"),
                    "the log says the credentials were refused and for which mechanism: " + said);
            System.out.println("wrong Kafka password, as the teacher logs it: " + said);
            System.out.println("its readiness: " + readiness.replace('\n', ' '));
            wrong.close();
            teacher.close();

            scan(fs, List.of(KAFKA_PASSWORD, WRONG_KAFKA_PASSWORD, STORE_PASSWORD, FaultStack.SECRET));
        }
    }

    @Test
    void trainerAndSamplerUseS3OverHttpsTrustingTheConfiguredCa(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("s3.p12");
        Path ca = dir.resolve("s3-ca.pem");
        Certificates.serverKeyStore(keys, "s3", STORE_PASSWORD, ca);
        try (FaultStack fs = new FaultStack(dir.resolve("run"), 1, null, new S3Https(0, keys, STORE_PASSWORD))) {
            StackEndpoints e = fs.stack().endpoints();
            String https = fs.stack().s3HttpsEndpoint();
            assertTrue(https.startsWith("https://"), https);

            // without the CA the handshake is refused, and the probe says where
            String untrusted = ObjectStoreProbe.problem(new ObjectStoreSettings(https, e.accessKey(), e.secretKey(),
                    e.bucket(), null));
            assertNotNull(untrusted, "an https endpoint with an unknown CA must not be trusted");
            assertTrue(untrusted.contains(https), untrusted);
            ObjectStoreSettings trusted = new ObjectStoreSettings(https, e.accessKey(), e.secretKey(), e.bucket(),
                    null, ca);
            assertEquals(null, ObjectStoreProbe.problem(trusted), "trusting the generated CA");

            int grpcPort = ServiceProcess.freePort();
            Map<String, String> extra = PipelineSettings.mixture2d(STUDENT, grpcPort);
            extra.put("sfd.trainer.batch", "32");
            extra.put("sfd.trainer.checkpoint-every-steps", "2");
            extra.put("sfd.sampler.poll-interval", "3s");
            extra.put("sfd.s3.endpoint", https);
            extra.put("sfd.s3.ca-file", ca.toString());
            Map<String, String> config = fs.config(extra);
            ServiceProcess teacher = fs.start("teacher-service", "teacher", "teacher-service", config);
            ServiceProcess trainer = fs.start("student-trainer", "trainer-https", "student-trainer", config);
            ServiceProcess sampler = fs.start("sampler-service", "sampler-https", "sampler-service", config);
            teacher.awaitReady(WAIT);
            trainer.awaitReady(WAIT);
            sampler.awaitLive(WAIT);
            Properties plain = new Properties();
            plain.put("bootstrap.servers", e.bootstrapServers());
            plain.put("acks", "all");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(plain, new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 4; i++) {
                    producer.send(new ProducerRecord<>(Topics.PROMPTS, "https-" + i,
                            PromptPublisher.record("https-" + i, mode, 16, 100L + i))).get();
                }
            }
            long version;
            try (CheckpointStore store = new CheckpointStore(trusted)) {
                version = awaitVersion(store, trainer);
            }
            GenerateResponse served = awaitServed(grpcPort, sampler);
            assertTrue(served.getModel().getVersion() >= 1, "the sampler serves a version read over HTTPS: "
                    + served.getModel());
            assertTrue(trainer.logText().contains(https) || version >= 1, "the trainer stored v" + version);
            sampler.close();
            trainer.close();
            teacher.close();
            scan(fs, List.of(STORE_PASSWORD, FaultStack.SECRET));
        }
    }

    private static Map<String, String> teacherConfig(FaultStack fs, String bootstrap, Path trust, String password,
                                                     String group) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("sfd.teacher.model", "mixture2d");
        extra.put("sfd.distill.k", "4");
        extra.put("sfd.distill.step-counts", "3");
        extra.put("sfd.teacher.group", group);
        extra.put("kafka.bootstrap.servers", bootstrap);
        extra.put("kafka.security.protocol", "SASL_SSL");
        extra.put("kafka.sasl.mechanism", KafkaSaslSsl.MECHANISM);
        extra.put("kafka.sasl.jaas.config", jaas(password));
        extra.put("kafka.ssl.truststore.location", trust.toString());
        extra.put("kafka.ssl.truststore.type", "PKCS12");
        extra.put("kafka.ssl.truststore.password", STORE_PASSWORD);
        return fs.config(extra);
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + KAFKA_USER
                + "\" password=\"" + password + "\";";
    }

    private static Properties clientSecurity(String bootstrap, Path trust, String password) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", KafkaSaslSsl.MECHANISM);
        p.put("sasl.jaas.config", jaas(password));
        p.put("ssl.truststore.location", trust.toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", STORE_PASSWORD);
        p.put("acks", "all");
        return p;
    }

    /** Trajectory indices of {@code promptId} seen on the topic (decoded from the blocks), once {@code count} are there. */
    private static Set<Integer> awaitTrajectories(StackEndpoints e, String promptId, int count) throws Exception {
        Set<Integer> indices = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (TopicReader reader = new TopicReader(e.bootstrapServers(), Topics.TRAJECTORIES)) {
            while (indices.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofSeconds(2))) {
                    indices.addAll(TrajectoryRows.indicesOf(r, promptId));
                }
            }
        }
        return indices;
    }

    /** The first log line containing {@code text} (waits for it), or an assertion error with the log's tail. */
    private static String awaitLog(ServiceProcess p, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = p.logText().lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get().trim();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(p.name() + " never logged '" + text + "' within " + WAIT + ":\n" + p.tail(30));
    }

    private static long awaitVersion(CheckpointStore store, ServiceProcess trainer) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Long> v = store.latestVersion(STUDENT);
            if (v.isPresent()) {
                return v.get();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no checkpoint of " + STUDENT + " over HTTPS within " + WAIT + ":\n"
                + trainer.tail(30));
    }

    private static GenerateResponse awaitServed(int grpcPort, ServiceProcess sampler) throws Exception {
        GenerateRequest request = GenerateRequest.newBuilder().setPrompt("north").setNfe(3).setSeed(7).setCount(2)
                .setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        StatusRuntimeException last = null;
        try (SamplerClient client = new SamplerClient("127.0.0.1:" + grpcPort, Duration.ofSeconds(30))) {
            while (System.nanoTime() < deadline) {
                try {
                    return client.generate(request);
                } catch (StatusRuntimeException e) {
                    last = e; // UNAVAILABLE until the first version is loaded
                    Thread.sleep(1000);
                }
            }
        }
        throw new AssertionError("the sampler served nothing over HTTPS within " + WAIT + " (" + last + "):\n"
                + sampler.tail(30));
    }

    private static void scan(FaultStack fs, List<String> secrets) throws Exception {
        for (String secret : secrets) {
            SecretScan scan = new SecretScan(secret);
            for (Path log : fs.logFiles()) {
                scan.file(log);
            }
            assertTrue(scan.scanned() > 2, "logs scanned: " + scan.scanned());
            assertEquals(List.of(), scan.leaks(), "a secret appears in a log");
        }
    }
}
