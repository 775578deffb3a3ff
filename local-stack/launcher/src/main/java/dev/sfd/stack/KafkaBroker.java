package dev.sfd.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process),
 * started from the Maven Central jars: write server.properties, format the storage, run
 * {@code kafka.Kafka}, wait until it answers an admin request.
 */
final class KafkaBroker implements AutoCloseable {

    private final ChildJvm process;
    private final int port;

    private KafkaBroker(ChildJvm process, int port) {
        this.process = process;
        this.port = port;
    }

    static KafkaBroker start(Path dir, int port, int controllerPort, boolean detached)
            throws IOException, InterruptedException {
        return start(dir, port, controllerPort, detached, null);
    }

    /** As above, plus a SASL_SSL listener when {@code saslSsl} is not null (its port already resolved). */
    static KafkaBroker start(Path dir, int port, int controllerPort, boolean detached, KafkaSaslSsl saslSsl)
            throws IOException, InterruptedException {
        Ports.requireFree(port, "Kafka broker", "--kafka-port");
        Ports.requireFree(controllerPort, "Kafka controller", "--controller-port");
        String classpath = ServerClasspath.of("kafka");
        Path config = dir.resolve("server.properties");
        Path log4j = dir.resolve("log4j2.properties");
        Path logDirs = dir.resolve("data");
        Path log = dir.resolve("kafka.log");
        Files.createDirectories(logDirs);
        Files.writeString(config, serverProperties(port, controllerPort, logDirs, saslSsl), StandardCharsets.UTF_8);
        Files.writeString(log4j, LOG4J2, StandardCharsets.UTF_8);
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            ChildJvm.runToCompletion("kafka storage format", classpath, "kafka.tools.StorageTool",
                    List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                    log, Duration.ofSeconds(60));
        }
        List<String> jvm = List.of("-Xms128m", "-Xmx512m", "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-Djava.awt.headless=true");
        ChildJvm child = ChildJvm.start("Kafka broker", classpath, jvm, "kafka.Kafka",
                List.of(config.toString()), log, !detached);
        KafkaBroker broker = new KafkaBroker(child, port);
        try {
            StackProbe.awaitKafka(broker.bootstrapServers(), child, Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }

    private static String serverProperties(int port, int controllerPort, Path logDirs, KafkaSaslSsl saslSsl) {
        String host = Ports.HOST;
        String secure = saslSsl == null ? "" : ",SASL_SSL://" + host + ":" + saslSsl.port();
        String secureSettings = saslSsl == null ? "" : String.join("\n",
                "sasl.enabled.mechanisms=" + KafkaSaslSsl.MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.sasl_ssl.ssl.keystore.location=" + saslSsl.keyStore().toAbsolutePath(),
                "listener.name.sasl_ssl.ssl.keystore.type=PKCS12",
                "listener.name.sasl_ssl.ssl.keystore.password=" + saslSsl.keyStorePassword(),
                "");
        return secureSettings + String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + host + ":" + controllerPort,
                "listeners=PLAINTEXT://" + host + ":" + port + secure + ",CONTROLLER://" + host + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + host + ":" + port + secure,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
                        + (saslSsl == null ? "" : ",SASL_SSL:SASL_SSL"),
                "log.dirs=" + logDirs.toAbsolutePath(),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "log.segment.bytes=67108864",
                "message.max.bytes=16777216",
                "") ;
    }

    private static final String LOG4J2 = String.join("\n",
            "status=warn",
            "appender.console.type=Console",
            "appender.console.name=STDOUT",
            "appender.console.layout.type=PatternLayout",
            "appender.console.layout.pattern=[%d] %p %m (%c)%n",
            "rootLogger.level=INFO",
            "rootLogger.appenderRef.stdout.ref=STDOUT",
            "logger.kafka.name=kafka",
            "logger.kafka.level=WARN",
            "logger.server.name=kafka.server.KafkaRaftServer",
            "logger.server.level=INFO",
            "logger.apache.name=org.apache.kafka",
            "logger.apache.level=WARN",
            "");
}
