package dev.sfd.teacher;

import dev.sfd.contract.Topics;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.pipeline.teacher.BatchPlanner;
import dev.sfd.pipeline.teacher.JobBatch;
import dev.sfd.pipeline.teacher.PromptPlan;
import dev.sfd.pipeline.teacher.PromptValidator;
import dev.sfd.pipeline.teacher.TeacherBatchRunner;
import dev.sfd.pipeline.teacher.TeacherStageSettings;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark (not a test: it asserts nothing about speed and is excluded from the default build):
 * teacher-service's trajectories/s and per-sample NFE/s end to end through Kafka (prompts published
 * → every trajectory block readable on the trajectories topic) against the same teacher, batch size,
 * K, N and trajectory count run alone in this process (planner + generator, no Kafka, no encoding),
 * for mixture2d and shapes. Both sides are warmed up first (JIT and ONNX Runtime: the same number of
 * warm-up trajectories, not timed). Besides the end-to-end rate it prints the steady-state rate from
 * the first to the last block's broker timestamp and the bytes on the wire per trajectory (key +
 * value + headers of the block records, divided by their trajectories). Run with
 * {@code mvn -B -pl teacher-service -am verify -Pbenchmark -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}
 * and {@code -Dbench.samples.mixture2d=65536 -Dbench.samples.shapes=4096 -Dbench.batch=256 -Dbench.k=8
 * -Dbench.prompt-size=256} to change sizes.
 */
@Tag("benchmark")
@ExtendWith(LocalStackExtension.class)
class TeacherBenchmarkIT {

    /** Trajectories per teacher: at least 64 000 for mixture2d (a run of a few seconds), fewer for shapes. */
    private static int samples(String teacher) {
        return Integer.getInteger("bench.samples." + teacher, teacher.equals("mixture2d") ? 65_536 : 4096);
    }

    /** Warm-up trajectories per side, not timed. */
    private static int warmUp(String teacher) {
        return Integer.getInteger("bench.warm-up." + teacher, teacher.equals("mixture2d") ? 16_384 : 512);
    }
    private static final int BATCH = Integer.getInteger("bench.batch", 256);
    private static final int K = Integer.getInteger("bench.k", 8);
    private static final int PROMPT_SIZE = Integer.getInteger("bench.prompt-size", 256);
    private static final int N = 3;

    private record Row(String teacher, int samples, double inProcessTps, double inProcessNfe, double[] kafka) {
    }

    @Test
    void throughKafkaVersusTheSolverAloneInProcess(LocalStack stack) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String teacher : System.getProperty("bench.teachers", "mixture2d,shapes").split(",")) {
            double[] alone = inProcess(teacher);
            double[] kafka = throughKafka(stack, teacher);
            rows.add(new Row(teacher, samples(teacher), alone[0], alone[1], kafka));
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%nteacher-service vs solver alone: batch %d, dpm++2m K = %d, N = %d, prompts of %d, both sides "
                        + "warmed up%n| teacher | trajectories | in process traj/s | in process NFE/s | through Kafka "
                        + "traj/s | through Kafka NFE/s | ratio | steady-state traj/s | ratio | bytes/trajectory on the "
                        + "wire |%n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n", BATCH, K, N, PROMPT_SIZE));
        for (Row r : rows) {
            double[] k = r.kafka();
            table.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.1f | %.0f | %.2f | %.1f | %.2f | %.1f |%n",
                    r.teacher(), r.samples(), r.inProcessTps(), r.inProcessNfe(), k[0], k[1], k[0] / r.inProcessTps(),
                    k[2], k[2] / r.inProcessTps(), k[3]));
        }
        System.out.println(table);
    }

    private static TeacherStageSettings settings(TeacherInfo info) {
        return TeacherStageSettings.defaults(ScheduleSpec.polynomial(info.tMin(), info.tMax()))
                .withStepCounts(List.of(N)).withBatch(BATCH, Duration.ofMillis(20));
    }

    private static String prompt(String teacher) {
        return teacher.equals("shapes") ? "a red circle" : "north";
    }

    /** {trajectories/s, per-sample NFE/s} of the planner and generator alone. */
    private static double[] inProcess(String teacher) throws Exception {
        TeacherSource source = TeacherSource.resolve(teacher);
        TeacherInfo info = source.info();
        TeacherStageSettings s = settings(info).withBatch(BATCH, Duration.ZERO);
        try (NoiseModel model = source.open(1)) {
            TeacherBatchRunner runner = new TeacherBatchRunner(model, info, s);
            PromptValidator validator = new PromptValidator(info, s.stepCounts());
            int samples = samples(teacher);
            List<PromptPlan> warm = new ArrayList<>();
            for (int i = 0; i * PROMPT_SIZE < warmUp(teacher); i++) {
                warm.add(new PromptPlan(validator.validate(new PromptRequest("warm-" + i, prompt(teacher),
                        Math.min(PROMPT_SIZE, warmUp(teacher) - i * PROMPT_SIZE), 7L + i))));
            }
            BatchPlanner planner = new BatchPlanner(BATCH);
            for (Optional<JobBatch> b = planner.next(warm); b.isPresent(); b = planner.next(warm)) {
                runner.run(b.get());
            }
            List<PromptPlan> plans = new ArrayList<>();
            for (int i = 0; i * PROMPT_SIZE < samples; i++) {
                plans.add(new PromptPlan(validator.validate(new PromptRequest("p" + i, prompt(teacher),
                        Math.min(PROMPT_SIZE, samples - i * PROMPT_SIZE), 1000L * i))));
            }
            long nfe = 0;
            long t0 = System.nanoTime();
            for (Optional<JobBatch> b = planner.next(plans); b.isPresent(); b = planner.next(plans)) {
                TeacherTrajectory t = runner.run(b.get());
                nfe += t.nfe() * b.get().size();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new double[] {samples / seconds, nfe / seconds};
        }
    }

    /** A consumer positioned at the end of every partition of {@code topic}, already polling. */
    private static KafkaConsumer<String, byte[]> tailReader(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve the end offsets now, not on the clock
        consumer.poll(Duration.ofMillis(100));
        return consumer;
    }

    /** Trajectories in a block record, from its {@code sfd.rows} header. */
    private static int rows(ConsumerRecord<String, byte[]> r) {
        return Integer.parseInt(new String(r.headers().lastHeader(TrajectoryKafkaHeaders.ROWS).value(),
                StandardCharsets.UTF_8));
    }

    /** Bytes of a record on the wire: key, value and headers (Kafka's framing not counted). */
    private static long wireBytes(ConsumerRecord<String, byte[]> r) {
        long bytes = Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
        for (var h : r.headers()) {
            bytes += h.key().length() + h.value().length;
        }
        return bytes;
    }

    /**
     * {trajectories/s, per-sample NFE/s, steady-state trajectories/s, bytes per trajectory} end to end
     * through the packaged service and the broker.
     */
    private static double[] throughKafka(LocalStack stack, String teacher) throws Exception {
        String run = "bench" + teacher + UUID.randomUUID().toString().substring(0, 6);
        String prompts = Topics.PROMPTS + "." + run;
        String trajectories = Topics.TRAJECTORIES + "." + run;
        try (Admin admin = stack.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(prompts, 3, (short) 1), new NewTopic(trajectories, 3, (short) 1),
                    new NewTopic(Topics.PROMPTS_DLQ + "." + run, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SFD_TOPIC_PROMPTS", prompts);
        env.put("SFD_TOPIC_TRAJECTORIES", trajectories);
        env.put("SFD_TOPIC_PROMPTS_DLQ", Topics.PROMPTS_DLQ + "." + run);
        env.put("SFD_TEACHER_GROUP", "sfd-teacher-" + run);
        env.put("SFD_MODELS_DIR", BuiltinTeachers.modelsDir().toAbsolutePath().toString());
        env.put("SFD_TEACHER_MODEL", teacher);
        env.put("SFD_DISTILL_STEP_COUNTS", Integer.toString(N));
        env.put("SFD_DISTILL_K", Integer.toString(K));
        env.put("SFD_TEACHER_BATCH_SIZE", Integer.toString(BATCH));
        env.put("SFD_THREADS", "1");
        int samples = samples(teacher);
        try (ServiceProcess service = ServiceProcess.start(run, env);
             KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(stack.bootstrapServers())) {
            service.awaitReady(Duration.ofMinutes(3));
            int warm = warmUp(teacher);
            for (int i = 0; i * PROMPT_SIZE < warm; i++) {
                String id = run + "-warm" + i;
                KafkaTestClients.send(producer, prompts, null, id, new PromptRequest(id, prompt(teacher),
                        Math.min(PROMPT_SIZE, warm - i * PROMPT_SIZE), 7L + i).toJson());
            }
            KafkaTestClients.readUntil(stack.bootstrapServers(), trajectories, r -> r.key().startsWith(run + "-warm"),
                    got -> got.stream().mapToInt(TeacherBenchmarkIT::rows).sum() >= warm, Duration.ofMinutes(10));
            double nfeBefore = service.counter("sfd_teacher_sample_nfe_total");
            long t0;
            long t1;
            double steady;
            double perTrajectory;
            try (KafkaConsumer<String, byte[]> reader = tailReader(stack.bootstrapServers(), trajectories)) {
                t0 = System.nanoTime();
                long published = System.currentTimeMillis(); // record timestamps are wall-clock (CreateTime)
                for (int i = 0; i * PROMPT_SIZE < samples; i++) {
                    String id = run + "-p" + i;
                    producer.send(new ProducerRecord<>(prompts, id, new PromptRequest(id, prompt(teacher),
                            Math.min(PROMPT_SIZE, samples - i * PROMPT_SIZE), 1000L * i).toJson()
                            .getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                long seen = 0;
                long blocks = 0;
                long bytes = 0;
                long firstRows = 0;
                long firstBlock = Long.MAX_VALUE;
                long lastBlock = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
                while (seen < samples) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("benchmark gave up after 30 minutes with " + seen + " trajectories");
                    }
                    for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(50))) {
                        if (r.key().startsWith(run + "-p")) {
                            seen += rows(r);
                            blocks++;
                            bytes += wireBytes(r);
                            if (r.timestamp() < firstBlock) {
                                firstBlock = r.timestamp();
                                firstRows = rows(r);
                            }
                            lastBlock = Math.max(lastBlock, r.timestamp());
                        }
                    }
                }
                t1 = System.nanoTime();
                System.out.printf(Locale.ROOT, "%s through Kafka: %d blocks; first block %d ms after the first prompt "
                        + "was published, last %d ms after it; read %d ms after it%n", teacher, blocks,
                        firstBlock - published, lastBlock - published, (t1 - t0) / 1_000_000);
                steady = lastBlock > firstBlock ? (seen - firstRows) * 1000.0 / (lastBlock - firstBlock) : Double.NaN;
                perTrajectory = (double) bytes / seen;
            }
            double seconds = (t1 - t0) / 1e9;
            double nfe = service.counter("sfd_teacher_sample_nfe_total") - nfeBefore;
            System.out.printf(Locale.ROOT, "%s in the service: %.0f teacher calls took %.3f s in total%n", teacher,
                    service.counter("sfd_teacher_batch_time_seconds_count"),
                    service.counter("sfd_teacher_batch_time_seconds_sum"));
            return new double[] {samples / seconds, nfe / seconds, steady, perTrajectory};
        }
    }
}
