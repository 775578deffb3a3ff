package dev.sfd.cli.pipeline;

import dev.sfd.pipeline.PromptLabeler;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.prompt.PromptException;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.stack.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The teacher side of the pipeline, in process (what teacher-service does): reads prompt records,
 * and for each valid one runs the teacher's Solver(K) between the student timestamps of Γ(N) for
 * {@code count} seeds, streaming every trajectory to {@code sfd.trajectories}. The step count N of
 * each chunk of a request cycles through the configured set. Bad records go to
 * {@code sfd.prompts.dlq} with the reason.
 */
public final class TeacherStage implements AutoCloseable {

    /** What a run did. */
    public record Stats(int prompts, int rejected, long trajectories, long records, long teacherCalls) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final NoiseModel teacher;
    private final TeacherInfo info;
    private final SfdConfig config;
    private final PromptLabeler labeler;
    private final TrajectoryGenerator generator;

    public TeacherStage(String bootstrapServers, String group, NoiseModel teacher, TeacherInfo info, SfdConfig config) {
        this.consumer = KafkaClients.bytesConsumer(bootstrapServers, group);
        this.producer = KafkaClients.bytesProducer(bootstrapServers);
        this.teacher = teacher;
        this.info = info;
        this.config = config;
        this.labeler = PromptLabeler.forDataset(info.dataset());
        this.generator = new TrajectoryGenerator(teacher,
                new TeacherSolver(Solvers.byName(config.solver()), config.schedule().schedule(), config.k()));
        consumer.subscribe(List.of(TopicSpec.PROMPTS));
    }

    /** Processes prompt records until none arrives for {@code idle}. */
    public Stats runUntilIdle(Duration idle) throws Exception {
        int prompts = 0;
        int rejected = 0;
        long trajectories = 0;
        long records = 0;
        long calls = 0;
        long lastRecord = System.nanoTime();
        TrajectoryWriter writer = new TrajectoryWriter(producer, TopicSpec.TRAJECTORIES);
        while (System.nanoTime() - lastRecord < idle.toNanos()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                lastRecord = System.nanoTime();
                PromptRequest request;
                int label;
                try {
                    request = PromptRequest.fromJson(new String(record.value(), StandardCharsets.UTF_8));
                    label = labeler.label(request.prompt());
                } catch (PromptException e) {
                    DeadLetters.send(producer, TopicSpec.PROMPTS_DLQ, record, e.getMessage());
                    rejected++;
                    continue;
                }
                prompts++;
                long firstSeed = request.seed() != null ? request.seed() : request.id().hashCode() * 1_000_003L;
                for (int from = 0, chunk = 0; from < request.count(); from += config.batch(), chunk++) {
                    int b = Math.min(config.batch(), request.count() - from);
                    int n = config.stepCounts().get(Math.floorMod(chunk + request.id().hashCode(),
                            config.stepCounts().size()));
                    long[] seeds = new long[b];
                    int[] labels = new int[b];
                    for (int i = 0; i < b; i++) {
                        seeds[i] = firstSeed + from + i;
                        labels[i] = label;
                    }
                    TeacherTrajectory traj = generator.generate(seeds, info.sampleShape(),
                            config.schedule().schedule().timestampsDescending(n),
                            info.classes() > 0 ? Condition.labels(labels) : Condition.none());
                    calls += traj.nfe();
                    records += writer.write(traj, new TrajectoryWriter.Provenance(request.id(),
                            config.schedule().kind(), scheduleParams(), Collections.nCopies(b, request.prompt()),
                            labels, info.id() + "@" + info.sha256()));
                    trajectories += b;
                }
            }
            consumer.commitSync();
        }
        producer.flush();
        return new Stats(prompts, rejected, trajectories, records, calls);
    }

    private Map<String, Double> scheduleParams() {
        return Map.of("t_min", config.schedule().tMin(), "t_max", config.schedule().tMax(),
                "rho", config.schedule().rho());
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
    }
}
