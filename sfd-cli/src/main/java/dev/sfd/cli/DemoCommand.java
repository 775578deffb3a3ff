package dev.sfd.cli;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.cli.demo.DemoPlan;
import dev.sfd.cli.demo.SamplerLoad;
import dev.sfd.cli.demo.TopicReader;
import dev.sfd.cli.services.PromptPublisher;
import dev.sfd.cli.services.RunningServices;
import dev.sfd.cli.services.SamplerClient;
import dev.sfd.cli.services.ServedStudent;
import dev.sfd.cli.services.Service;
import dev.sfd.contract.ConsumerGroups;
import dev.sfd.contract.DeadLetterHeaders;
import dev.sfd.contract.Topics;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.image.ImageGrid;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.quality.EvaluationSeeds;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.text2image.Captions;
import dev.sfd.core.teachers.imports.text2image.PipelineReference;
import dev.sfd.core.teachers.imports.text2image.TextToImageQuality;
import dev.sfd.core.teachers.imports.text2image.TextToImageTeacher;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.stack.ConsumerLag;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.ServiceProcess;
import dev.sfd.stack.StackEndpoints;
import dev.sfd.stack.StackSettings;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd demo}: the system as its users run it, on the embedded local stack. Starts Kafka and
 * S3, then teacher-service, student-trainer and sampler-service as separate JVMs from their Quarkus
 * builds; publishes prompts (and a few bad records) to {@code sfd.prompts}; shows consumer lag,
 * trainer loss and published versions while trajectories flow and checkpoints appear; calls the
 * sampler over gRPC throughout while it hot-swaps versions; then prints the served student's quality
 * beside the teacher's own solvers at the same NFE, the versions served with the failed-call count,
 * the dead letters with their reasons, and (image teacher) a PNG grid. Everything it started stops
 * on exit, Ctrl-C or failure; the services' logs stay under the data directory.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the system end to end on the embedded local stack: the three services as processes, "
                + "prompts in, checkpoints hot-swapped into the gRPC sampler, quality table out.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--teacher", defaultValue = "mixture2d",
            description = "Built-in teacher mixture2d (fast) or shapes, or a text-to-image pipeline folder (or its "
                    + ".teacher.json), e.g. fixtures/text2image/shapes-sd (default ${DEFAULT-VALUE}).")
    String teacher;

    @Option(names = "--data-dir", defaultValue = ".sfd/demo", description = "Stack data and service logs (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--count", description = "Trajectories per prompt (default: 4096 for mixture2d, 1024 for shapes, "
            + "256 for a text-to-image pipeline).")
    Integer count;

    @Option(names = "--samples", description = "Evaluation samples per sampler (default: 2000 mixture2d, 512 shapes).")
    Integer samples;

    @Option(names = "--set", description = "Extra configuration for every service, key=value (repeatable).")
    Map<String, String> extra;

    @Option(names = "--timeout", defaultValue = "900", description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private PrintWriter out;
    private long t0;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        t0 = System.nanoTime();
        DemoPlan plan = DemoPlan.forTeacher(teacher, count);
        deleteRecursively(dataDir); // a fresh stack: earlier runs' topics must not leak into this one
        try (LocalStack stack = LocalStack.start(StackSettings.ephemeral(dataDir.resolve("stack"), 3));
                RunningServices services = new RunningServices(dataDir)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                services.close();
                stack.close();
            }, "sfd-demo-stop")); // Ctrl-C: stop what we started
            StackEndpoints e = stack.endpoints();
            step("1/6 stack", "Kafka " + e.bootstrapServers() + ", S3 " + e.s3Endpoint() + " (bucket " + e.bucket() + ")");
            int grpcPort = ServiceProcess.freePort();
            try {
                startServices(services, plan, e, grpcPort);
                run(plan, e, services, "127.0.0.1:" + grpcPort);
            } catch (Exception failure) {
                out.println("sfd demo failed: " + failure.getMessage());
                out.println("service logs:");
                out.print(services.describeLogs());
                out.flush();
                throw failure;
            }
            out.printf(Locale.ROOT, "Demo finished in %.1f s; stopping the services and the stack.%n", seconds(t0));
            out.flush();
        }
        return 0;
    }

    private void startServices(RunningServices services, DemoPlan plan, StackEndpoints e, int grpcPort)
            throws Exception {
        Map<String, String> config = new LinkedHashMap<>(e.serviceConfig());
        config.putAll(plan.settings());
        config.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        if (extra != null) {
            config.putAll(extra);
        }
        for (Service s : Service.all()) {
            services.start(s, ServiceProcess.freePort(), config, true);
        }
        services.get(Service.TEACHER).awaitReady(Duration.ofMinutes(3));
        services.get(Service.TRAINER).awaitReady(Duration.ofMinutes(3));
        services.get(Service.SAMPLER).awaitLive(Duration.ofMinutes(3)); // ready once a checkpoint is served
        StringBuilder b = new StringBuilder();
        services.all().forEach((s, p) -> b.append(s.module()).append(" pid ").append(p.pid()).append(", "));
        step("2/6 services", b + "sampler gRPC 127.0.0.1:" + grpcPort + "; logs in " + dataDir.resolve("logs"));
    }

    private void run(DemoPlan plan, StackEndpoints e, RunningServices services, String grpcTarget) throws Exception {
        List<String> lines = new ArrayList<>();
        Long firstSeed = null;
        if (plan.textToImage()) { // free text, one line per prompt: what `sfd publish --file` sends
            Path file = dataDir.resolve("prompts.txt");
            Files.write(file, plan.prompts(), StandardCharsets.UTF_8);
            firstSeed = 1_000_000L;
            out.printf(Locale.ROOT, "      publishing %d free-text prompts as: sfd publish --file %s --count %d "
                    + "--id-prefix demo --seed %d --bootstrap-servers %s%n", plan.prompts().size(), file, plan.count(),
                    firstSeed, e.bootstrapServers());
            lines.addAll(plan.prompts());
        } else {
            for (int i = 0; i < plan.prompts().size(); i++) {
                lines.add(PromptPublisher.record("demo-" + i, plan.prompts().get(i), plan.count(), 1_000_000L * (i + 1)));
            }
        }
        lines.addAll(DemoPlan.badRecords());
        try (PromptPublisher publisher = new PromptPublisher(e.bootstrapServers())) {
            int acked = publisher.publish(lines, "demo", plan.count(), firstSeed).size();
            step("3/6 prompts", String.format(Locale.ROOT, "%d prompt records (%d trajectories each) + %d bad ones "
                    + "acknowledged on %s", plan.prompts().size(), plan.count(), DemoPlan.badRecords().size(),
                    Topics.PROMPTS) + " (" + acked + " records)");
        }
        String student = plan.settings().get("sfd.trainer.student-name");
        // lag drains after the first pass; replay passes train on from the trainer's cache, so done means
        // a published version that covers the whole budget (the trainer checkpoints when it is used up)
        long budget = Long.parseLong(plan.settings().get("sfd.trainer.budget"));
        List<CheckpointManifest> versions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        try (SamplerLoad load = new SamplerLoad(grpcTarget, plan.loadPrompt());
                TopicReader events = new TopicReader(e.bootstrapServers(), Topics.CHECKPOINTS)) {
            long lastPrint = 0;
            while (true) {
                for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(500))) {
                    CheckpointManifest m = CheckpointManifest.fromJson(new String(r.value(), StandardCharsets.UTF_8));
                    versions.add(m);
                    out.printf(Locale.ROOT, "      checkpoint v%d: step %d, %s (%d bytes)%n", m.version(), m.step(),
                            m.metrics(), m.bytes());
                }
                long teacherLag = totalLag(e, ConsumerGroups.TEACHER);
                long trainerLag = totalLag(e, ConsumerGroups.TRAINER);
                if (System.nanoTime() - lastPrint > 3e9) {
                    lastPrint = System.nanoTime();
                    out.printf(Locale.ROOT, "[%5.0f s] lag %s %s, %s %s | versions %d | gRPC calls %d, failed %d, "
                                    + "serving v%d%n", seconds(t0), ConsumerGroups.TEACHER, fmt(teacherLag),
                            ConsumerGroups.TRAINER, fmt(trainerLag), versions.size(), load.calls(), load.failures().size(),
                            load.servedVersion());
                    out.flush();
                }
                boolean drained = drained(e, ConsumerGroups.TEACHER) && drained(e, ConsumerGroups.TRAINER);
                CheckpointManifest newest = versions.isEmpty() ? null : versions.get(versions.size() - 1);
                boolean trained = newest != null && newest.trajectoriesSeen() != null
                        && newest.trajectoriesSeen() >= budget;
                if (drained && trained && versions.size() >= 2 && load.servedVersion() == newest.version()) {
                    break;
                }
                for (ServiceProcess p : services.all().values()) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException(p.name() + " exited; last lines of " + p.log() + ":\n"
                                + p.tail(20));
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not done after " + timeoutSeconds + " s (teacher lag " + teacherLag
                            + ", trainer lag " + trainerLag + ", " + versions.size() + " version(s) published, newest "
                            + "covering " + (newest == null ? 0 : newest.trajectoriesSeen()) + " of " + budget
                            + " trajectories, "
                            + "serving v" + load.servedVersion() + "); raise --timeout or look at the logs");
                }
                Thread.sleep(500);
            }
            load.close();
            step("4/6 training", String.format(Locale.ROOT, "%d versions published; sampler called %d times while "
                            + "swapping: %s calls per version, %d failed%s", versions.size(), load.calls(),
                    load.callsPerVersion(), load.failures().size(),
                    load.wentBackwards() ? " (VERSIONS WENT BACKWARDS)" : ", versions never went backwards"));
            load.failures().stream().limit(5).forEach(f -> out.println("      failed call: " + f));
        }
        for (String g : List.of(ConsumerGroups.TEACHER, ConsumerGroups.TRAINER)) {
            LagCommand.print(out, g, ConsumerLag.describe(e.bootstrapServers(), g, Duration.ofSeconds(10)));
        }
        CheckpointManifest last = versions.get(versions.size() - 1);
        evaluate(plan, e, grpcTarget, student, last);
        printDeadLetters(e);
    }

    private void evaluate(DemoPlan plan, StackEndpoints e, String grpcTarget, String student, CheckpointManifest last)
            throws Exception {
        long t = System.nanoTime();
        ObjectStoreSettings s3 = new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(), null);
        Path file = dataDir.resolve(student + "-v" + last.version() + ".onnx");
        try (CheckpointStore store = new CheckpointStore(s3)) {
            Files.write(file, store.fetch(store.manifest(student, last.version()))); // sha256 verified
        }
        StudentCheckpoint cp = StudentCheckpoint.load(file);
        int n = samples != null ? samples : plan.evalSamples();
        if (plan.textToImage()) {
            evaluateTextToImage(plan, grpcTarget, cp, last, n);
            return;
        }
        TeacherSource source = TeacherSource.resolve(plan.teacher());
        QualityReport report;
        try (SamplerClient client = new SamplerClient(grpcTarget, Duration.ofMinutes(2));
                NoiseModel teacherModel = source.open(1)) {
            report = new QualityEvaluator(cp.metadata().dataset(), teacherModel,
                    new ServedStudent(client, cp.metadata(), last.version()),
                    EvaluateCommand.qualityFor(cp.metadata().dataset(), 1)).samples(n).highNfe(64)
                    .evaluate(plan.nfe());
            if (!plan.gridPrompts().isEmpty()) {
                writeGrid(client, plan, dataDir.resolve("demo-grid.png"));
            }
        }
        step("5/6 quality", String.format(Locale.ROOT, "student v%d as served over gRPC vs the teacher's solvers at "
                + "the same NFE (%d samples, %.1f s)", last.version(), n, seconds(t)));
        out.print(report.format());
    }

    /**
     * A text-to-image student: the served version's checkpoint, evaluated in process on decoded images with the
     * code of {@code sfd evaluate} (the sampler serves the same file), and a grid of PNGs the sampler decoded.
     */
    private void evaluateTextToImage(DemoPlan plan, String grpcTarget, StudentCheckpoint cp, CheckpointManifest last,
            int n) throws Exception {
        long t = System.nanoTime();
        PipelineReference pipeline = PipelineReference.resolve(plan.teacher());
        SessionConfig session = SessionConfig.cpu(2);
        QualityReport report;
        try (TextToImageTeacher teacher = pipeline.open(session);
                StudentSampler student = new StudentSampler(cp, session);
                ShapesClassifier classifier = ShapesClassifier.openBuiltin(session)) {
            report = TextToImageQuality.evaluate(teacher, student, classifier, Captions.read(pipeline.folder()),
                    plan.nfe(), EvaluationSeeds.heldOut(n), 64);
        }
        step("5/6 quality", String.format(Locale.ROOT, "student v%d (the checkpoint the sampler serves, decoded and "
                + "scored in process as sfd evaluate does) vs the teacher's solvers at the same NFE (%d samples, %.1f s)",
                last.version(), n, seconds(t)));
        out.print(report.format());
        try (SamplerClient client = new SamplerClient(grpcTarget, Duration.ofMinutes(2))) {
            writeGrid(client, plan, dataDir.resolve("demo-grid.png"));
        }
    }

    private void writeGrid(SamplerClient client, DemoPlan plan, Path file) throws Exception {
        int columns = 8;
        ImageGrid grid = new ImageGrid(plan.gridPrompts().size(), columns, 3);
        for (int row = 0; row < plan.gridPrompts().size(); row++) {
            GenerateResponse r = client.generate(GenerateRequest.newBuilder().setPrompt(plan.gridPrompts().get(row))
                    .setNfe(plan.nfe().get(0)).setSeed(100).setCount(columns)
                    .setOutput(OutputFormat.OUTPUT_FORMAT_PNG).build());
            for (var s : r.getSamplesList()) {
                grid.set(row, s.getIndex(), ImageIO.read(new ByteArrayInputStream(s.getPng().toByteArray())));
            }
        }
        grid.rowLabels(plan.gridPrompts()).writePng(file);
        out.println("      sample grid (NFE " + plan.nfe().get(0) + ", served student): " + file.toAbsolutePath());
    }

    private void printDeadLetters(StackEndpoints e) {
        int n = 0;
        for (String topic : List.of(Topics.PROMPTS_DLQ, Topics.TRAJECTORIES_DLQ)) {
            try (TopicReader dlq = new TopicReader(e.bootstrapServers(), topic)) {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofSeconds(3))) {
                    Header reason = r.headers().lastHeader(DeadLetterHeaders.REASON);
                    out.printf("      %s: key %s, reason: %s%n", topic, r.key(),
                            reason == null ? "(none)" : new String(reason.value(), StandardCharsets.UTF_8));
                    n++;
                }
            }
        }
        step("6/6 dead letters", n + " record(s) refused with a reason (" + DemoPlan.badRecords().size()
                + " bad prompt records were published on purpose)");
    }

    private static long totalLag(StackEndpoints e, String group) {
        try {
            List<ConsumerLag.PartitionLag> rows = ConsumerLag.describe(e.bootstrapServers(), group, Duration.ofSeconds(5));
            return rows.stream().noneMatch(ConsumerLag.PartitionLag::committed) ? -1 : ConsumerLag.total(rows);
        } catch (RuntimeException ex) {
            return -1;
        }
    }

    private static boolean drained(StackEndpoints e, String group) {
        try {
            return ConsumerLag.drained(ConsumerLag.describe(e.bootstrapServers(), group, Duration.ofSeconds(5)));
        } catch (RuntimeException ex) {
            return false;
        }
    }

    private static String fmt(long lag) {
        return lag < 0 ? "(no commits yet)" : Long.toString(lag);
    }

    private void step(String what, String detail) {
        out.printf(Locale.ROOT, "[%s] %s%n", what, detail);
        out.flush();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
