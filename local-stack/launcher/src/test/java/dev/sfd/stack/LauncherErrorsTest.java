package dev.sfd.stack;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The launcher's failure modes end in a sentence that says what to do, never in a hang. */
class LauncherErrorsTest {

    @Test
    void aTakenKafkaPortIsReportedWithTheOptionToChange() throws Exception {
        Path dir = Files.createTempDirectory("sfd-port-test");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
            StackSettings settings = StackSettings.ephemeral(dir, 1).withPorts(taken.getLocalPort(), 0, 0);
            PortInUseException e = assertThrows(PortInUseException.class, () -> LocalStack.start(settings));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("Kafka broker"), e.getMessage());
            assertTrue(e.getMessage().contains("--kafka-port"), e.getMessage());
        }
    }

    @Test
    void aTakenS3PortIsReportedBeforeAnythingIsLeftRunning() throws Exception {
        Path dir = Files.createTempDirectory("sfd-port-test");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
            StackSettings settings = StackSettings.ephemeral(dir, 1).withPorts(0, 0, taken.getLocalPort());
            PortInUseException e = assertThrows(PortInUseException.class, () -> LocalStack.start(settings));
            assertTrue(e.getMessage().contains("S3 server") && e.getMessage().contains("--s3-port"), e.getMessage());
        }
    }

    @Test
    void aStoppedBrokerGivesAClearMessageQuickly() throws Exception {
        Path dir = Files.createTempDirectory("sfd-stopped-broker");
        int port = Ports.free();
        KafkaBroker broker = KafkaBroker.start(dir, port, Ports.free(), false);
        String bootstrap = broker.bootstrapServers();
        StackProbe.checkKafka(bootstrap, Duration.ofSeconds(5));
        broker.close();

        StackUnavailableException probe = assertThrows(StackUnavailableException.class,
                () -> StackProbe.checkKafka(bootstrap, Duration.ofSeconds(2)));
        assertTrue(probe.getMessage().contains(bootstrap) && probe.getMessage().contains("not reachable"),
                probe.getMessage());
        StackUnavailableException lag = assertThrows(StackUnavailableException.class,
                () -> ConsumerLag.describe(bootstrap, "any-group", Duration.ofSeconds(2)));
        assertTrue(lag.getMessage().contains("any-group"), lag.getMessage());
    }

    @Test
    void aMissingServerClasspathNamesTheBuildToRun() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerClasspath.of("nosuch"));
        assertTrue(e.getMessage().contains("sfd-stack/nosuch.classpath"), e.getMessage());
    }

    @Test
    void noStackRecordedInADirectoryIsAClearError() throws Exception {
        Path dir = Files.createTempDirectory("sfd-empty");
        StackUnavailableException e = assertThrows(StackUnavailableException.class, () -> StackEndpoints.load(dir));
        assertTrue(e.getMessage().contains("sfd local-stack up"), e.getMessage());
    }
}
