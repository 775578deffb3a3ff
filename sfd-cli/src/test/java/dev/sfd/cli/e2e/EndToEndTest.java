package dev.sfd.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.cli.SfdCommand;
import dev.sfd.cli.demo.SamplerLoad;
import dev.sfd.cli.demo.TopicReader;
import dev.sfd.cli.services.PromptPublisher;
import dev.sfd.cli.services.RunningServices;
import dev.sfd.cli.services.SamplerClient;
import dev.sfd.cli.services.ServedStudent;
import dev.sfd.cli.services.Service;
import dev.sfd.contract.ConsumerGroups;
import dev.sfd.contract.Topics;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.quality.MixtureQuality;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.KafkaTools;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import dev.sfd.stack.ServiceProcess;
import dev.sfd.stack.StackEndpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * The system as users run it (mixture2d): the three services as separate JVMs from their Quarkus
 * builds on the real local stack; prompts published with a plain Kafka producer and with
 * {@code sfd publish}; at least two checkpoint versions; a gRPC client calling throughout sees the
 * version change with zero failed calls; the served student at NFE 2 beats the teacher's Euler and
 * DPM-Solver++(3M) at NFE 2 on the exact metric; {@code sfd lag} agrees with Kafka's own
 * ConsumerGroupCommand.
 */
@ExtendWith(LocalStackExtension.class)
class EndToEndTest {

    private static final int PER_PROMPT = 256;
    private static final String STUDENT = "e2e-student";

    @Test
    void promptsInStudentOutThroughTheServices(LocalStack stack, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        StackEndpoints e = stack.endpoints();
        int grpcPort = ServiceProcess.freePort();
        Map<String, String> config = new LinkedHashMap<>(e.serviceConfig());
        config.putAll(EndToEndSettings.services(STUDENT, 8L * PER_PROMPT, grpcPort));
        try (RunningServices services = new RunningServices(dir)) {
            for (Service s : Service.all()) {
                services.start(s, ServiceProcess.freePort(), config, true);
            }
            try {
                services.get(Service.TEACHER).awaitReady(Duration.ofMinutes(3));
                services.get(Service.TRAINER).awaitReady(Duration.ofMinutes(3));
                services.get(Service.SAMPLER).awaitLive(Duration.ofMinutes(3));
                runScenario(e, "127.0.0.1:" + grpcPort);
                monitoringQueriesWhatTheServicesExport(services);
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\nservice logs:\n" + services.describeLogs(), t);
            }
        }
    }

    private void runScenario(StackEndpoints e, String grpcTarget) throws Exception {
        List<String> modes = Mixture2d.ring().modes().stream().map(Mixture2d.Mode::name).toList();
        try (SamplerLoad load = new SamplerLoad(grpcTarget, "north")) {
            // half of the prompts with a plain Kafka producer, as any client would
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, e.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 4; i++) {
                    String id = "plain-" + i;
                    producer.send(new ProducerRecord<>(Topics.PROMPTS, id,
                            PromptPublisher.record(id, modes.get(i), PER_PROMPT, 10_000L * i))).get();
                }
            }
            // the other half with `sfd publish`
            List<String> args = new ArrayList<>(List.of("publish", "--bootstrap-servers", e.bootstrapServers(),
                    "--count", Integer.toString(PER_PROMPT), "--seed", "777", "--id-prefix", "cli"));
            args.addAll(modes.subList(4, 8));
            StringWriter published = new StringWriter();
            int rc = SfdCommand.commandLine().setOut(new PrintWriter(published)).execute(args.toArray(String[]::new));
            assertEquals(0, rc, published.toString());
            assertTrue(published.toString().contains("4 record(s) acknowledged"), published.toString());

            List<CheckpointManifest> versions = waitForTwoVersionsAndDrain(e, load);
            load.close();
            assertEquals(List.of(), load.failures(), "zero failed gRPC calls across the swaps");
            assertFalse(load.wentBackwards(), "served versions never go backwards: " + load.callsPerVersion());
            assertTrue(load.callsPerVersion().size() >= 2, "the caller saw the version change: "
                    + load.callsPerVersion());
            List<Long> published2 = versions.stream().map(CheckpointManifest::version).toList();
            assertTrue(published2.containsAll(load.callsPerVersion().keySet()),
                    "every response names a published version: " + load.callsPerVersion() + " vs " + published2);
            servedStudentBeatsTeacherSolvers(e, grpcTarget, versions.get(versions.size() - 1));
        }
        lagAgreesWithKafkasTool(e);
    }

    private static List<CheckpointManifest> waitForTwoVersionsAndDrain(StackEndpoints e, SamplerLoad load)
            throws Exception {
        List<CheckpointManifest> versions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        try (TopicReader events = new TopicReader(e.bootstrapServers(), Topics.CHECKPOINTS)) {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(500))) {
                    versions.add(CheckpointManifest.fromJson(new String(r.value(), StandardCharsets.UTF_8)));
                }
                boolean drained = drained(e, ConsumerGroups.TEACHER) && drained(e, ConsumerGroups.TRAINER);
                if (drained && versions.size() >= 2
                        && load.servedVersion() == versions.get(versions.size() - 1).version()) {
                    return versions;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("within 8 minutes: " + versions.size() + " version(s), teacher lag "
                + lag(e, ConsumerGroups.TEACHER) + ", trainer lag " + lag(e, ConsumerGroups.TRAINER) + ", serving v"
                + load.servedVersion());
    }

    private static boolean drained(StackEndpoints e, String group) {
        return ConsumerLag.drained(ConsumerLag.describe(e.bootstrapServers(), group, Duration.ofSeconds(10)));
    }

    private static long lag(StackEndpoints e, String group) {
        List<ConsumerLag.PartitionLag> rows = ConsumerLag.describe(e.bootstrapServers(), group, Duration.ofSeconds(10));
        return rows.isEmpty() ? -1 : ConsumerLag.total(rows);
    }

    private static void servedStudentBeatsTeacherSolvers(StackEndpoints e, String grpcTarget, CheckpointManifest last)
            throws Exception {
        ObjectStoreSettings s3 = new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(), null);
        Path file = Files.createTempFile("e2e-student", ".onnx");
        try (CheckpointStore store = new CheckpointStore(s3)) {
            Files.write(file, store.fetch(store.manifest(STUDENT, last.version())));
        }
        StudentCheckpoint cp = StudentCheckpoint.load(file);
        QualityReport report;
        try (SamplerClient client = new SamplerClient(grpcTarget, Duration.ofMinutes(2));
                NoiseModel teacher = BuiltinTeachers.open("mixture2d", SessionConfig.cpu(1))) {
            report = new QualityEvaluator("mixture2d", teacher, new ServedStudent(client, cp.metadata(), last.version()),
                    new MixtureQuality(Mixture2d.ring().mixture())).samples(1000).highNfe(32)
                    .solvers(List.of("euler", "dpm++3m")).evaluate(List.of(2));
        }
        double student = report.value(2, QualityReport.STUDENT, "FD");
        assertTrue(student < report.value(2, "euler", "FD") && student < report.value(2, "dpm++3m", "FD"),
                "served student beats the teacher's Euler and DPM-Solver++(3M) at NFE 2:\n" + report.format());
    }

    /**
     * deploy/monitoring's dashboard and alert rules query only series the running services' /q/metrics
     * export. Kafka's per-partition client metrics (records_lag) reach Micrometer at its Kafka binder's next
     * refresh (every 60 s), so the comparison is retried for up to two minutes.
     */
    private static void monitoringQueriesWhatTheServicesExport(RunningServices services) throws Exception {
        Set<String> queried = new TreeSet<>(MonitoringQueries.dashboard());
        queried.addAll(MonitoringQueries.alerts());
        assertTrue(MonitoringQueries.dashboard().size() >= 15 && MonitoringQueries.alerts().size() >= 5,
                "queries found in deploy/monitoring: " + queried);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Set<String> exported = new TreeSet<>();
            for (Service s : Service.all()) {
                Set<String> own = MonitoringQueries.exported(services.get(s).metrics());
                assertTrue(own.stream().anyMatch(n -> n.startsWith("sfd_")), s + " exports its own sfd_* metrics: " + own);
                exported.addAll(own);
            }
            Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(exported);
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                assertEquals(Set.of(), missing, "deploy/monitoring queries series no running service exports;"
                        + " exported: " + exported);
                return;
            }
            Thread.sleep(2000);
        }
    }

    private static void lagAgreesWithKafkasTool(StackEndpoints e) throws Exception {
        for (String group : List.of(ConsumerGroups.TEACHER, ConsumerGroups.TRAINER)) {
            StringWriter ours = new StringWriter();
            int rc = SfdCommand.commandLine().setOut(new PrintWriter(ours))
                    .execute("lag", "--bootstrap-servers", e.bootstrapServers(), "--group", group);
            assertEquals(0, rc, ours.toString());
            Map<String, Long> parsed = new HashMap<>();
            for (String line : ours.toString().split("\n")) {
                String[] c = line.trim().split("\\s+");
                if (c.length == 6 && c[0].equals(group)) {
                    parsed.put(c[1] + "/" + c[2], c[5].equals("-") ? -1 : Long.parseLong(c[5]));
                }
            }
            assertFalse(parsed.isEmpty(), ours.toString());
            assertEquals(KafkaTools.lagByPartition(e.bootstrapServers(), group), parsed,
                    "sfd lag and ConsumerGroupCommand agree for " + group + ":\n" + ours);
        }
    }
}
