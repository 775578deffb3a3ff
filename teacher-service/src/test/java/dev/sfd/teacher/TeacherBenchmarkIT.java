package dev.sfd.teacher;

import dev.sfd.contract.Topics;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.core.teachers.BuiltinTeachers;
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
 * → every segment readable on the trajectories topic) against the same teacher, batch size, K and N
 * run alone in this process (planner + generator, no Kafka, no encoding), for mixture2d and shapes.
 * Run with
 * {@code mvn -B -pl teacher-service -am verify -Pbenchmark -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}
 * and {@code -Dbench.samples=4096 -Dbench.batch=256 -Dbench.k=8 -Dbench.prompt-size=256} to change sizes.
 */
@Tag("benchmark")
@ExtendWith(LocalStackExtension.class)
class TeacherBenchmarkIT {

    private static final int SAMPLES = Integer.getInteger("bench.samples", 4096);
    private static final int BATCH = Integer.getInteger("bench.batch", 256);
    private static final int K = Integer.getInteger("bench.k", 8);
    private static final int PROMPT_SIZE = Integer.getInteger("bench.prompt-size", 256);
    private static final int N = 3;

    private record Row(String teacher, double inProcessTps, double inProcessNfe, double kafkaTps, double kafkaNfe) {
    }

    @Test
    void throughKafkaVersusTheSolverAloneInProcess(LocalStack stack) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String teacher : System.getProperty("bench.teachers", "mixture2d,shapes").split(",")) {
            double[] alone = inProcess(teacher);
            double[] kafka = throughKafka(stack, teacher);
            rows.add(new Row(teacher, alone[0], alone[1], kafka[0], kafka[1]));
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%nteacher-service vs solver alone: %d samples, batch %d, dpm++2m K = %d, N = %d, prompts of %d%n"
                        + "| teacher | in process traj/s | in process NFE/s | through Kafka traj/s | through Kafka NFE/s"
                        + " | ratio |%n|---|---:|---:|---:|---:|---:|%n", SAMPLES, BATCH, K, N, PROMPT_SIZE));
        for (Row r : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.1f | %.0f | %.2f |%n", r.teacher(),
                    r.inProcessTps(), r.inProcessNfe(), r.kafkaTps(), r.kafkaNfe(), r.kafkaTps() / r.inProcessTps()));
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
            runner.run(new BatchPlanner(BATCH).next(List.of(new PromptPlan(validator.validate(
                    new PromptRequest("warm-up", prompt(teacher), Math.min(BATCH, 4096), 1L))))).orElseThrow());
            List<PromptPlan> plans = new ArrayList<>();
            for (int i = 0; i * PROMPT_SIZE < SAMPLES; i++) {
                plans.add(new PromptPlan(validator.validate(new PromptRequest("p" + i, prompt(teacher),
                        Math.min(PROMPT_SIZE, SAMPLES - i * PROMPT_SIZE), 1000L * i))));
            }
            BatchPlanner planner = new BatchPlanner(BATCH);
            long nfe = 0;
            long t0 = System.nanoTime();
            for (Optional<JobBatch> b = planner.next(plans); b.isPresent(); b = planner.next(plans)) {
                TeacherTrajectory t = runner.run(b.get());
                nfe += t.nfe() * b.get().size();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new double[] {SAMPLES / seconds, nfe / seconds};
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

    /** {trajectories/s, per-sample NFE/s} end to end through the packaged service and the broker. */
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
        int segments = N + 1;
        try (ServiceProcess service = ServiceProcess.start(run, env);
             KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(stack.bootstrapServers())) {
            service.awaitReady(Duration.ofMinutes(3));
            int warm = Math.min(BATCH, 4096);
            KafkaTestClients.send(producer, prompts, null, run + "-warm",
                    new PromptRequest(run + "-warm", prompt(teacher), warm, 1L).toJson());
            KafkaTestClients.readUntil(stack.bootstrapServers(), trajectories, r -> r.key().startsWith(run + "-warm/"),
                    got -> got.size() >= warm * segments, Duration.ofMinutes(10));
            double nfeBefore = service.counter("sfd_teacher_sample_nfe_total");
            long t0;
            long t1;
            try (KafkaConsumer<String, byte[]> reader = tailReader(stack.bootstrapServers(), trajectories)) {
                t0 = System.nanoTime();
                long published = System.currentTimeMillis(); // record timestamps are wall-clock (CreateTime)
                for (int i = 0; i * PROMPT_SIZE < SAMPLES; i++) {
                    String id = run + "-p" + i;
                    producer.send(new ProducerRecord<>(prompts, id, new PromptRequest(id, prompt(teacher),
                            Math.min(PROMPT_SIZE, SAMPLES - i * PROMPT_SIZE), 1000L * i).toJson()
                            .getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                long seen = 0;
                long firstSegment = Long.MAX_VALUE;
                long lastSegment = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
                while (seen < (long) SAMPLES * segments) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("benchmark gave up after 30 minutes with " + seen + " segments");
                    }
                    for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(50))) {
                        if (r.key().startsWith(run + "-p")) {
                            seen++;
                            firstSegment = Math.min(firstSegment, r.timestamp());
                            lastSegment = Math.max(lastSegment, r.timestamp());
                        }
                    }
                }
                t1 = System.nanoTime();
                System.out.printf(Locale.ROOT, "%s through Kafka: first segment %d ms after the first prompt was"
                        + " published, last %d ms after it; read %d ms after it%n", teacher,
                        firstSegment - published, lastSegment - published, (t1 - t0) / 1_000_000);
            }
            double seconds = (t1 - t0) / 1e9;
            double nfe = service.counter("sfd_teacher_sample_nfe_total") - nfeBefore;
            System.out.printf(Locale.ROOT, "%s in the service: %.0f teacher calls took %.3f s in total%n", teacher,
                    service.counter("sfd_teacher_batch_time_seconds_count"),
                    service.counter("sfd_teacher_batch_time_seconds_sum"));
            return new double[] {SAMPLES / seconds, nfe / seconds};
        }
    }
}
