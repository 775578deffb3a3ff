package dev.sfd.teacher;

import dev.sfd.pipeline.teacher.TeacherStageListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The service's Micrometer meters ({@code /q/metrics}); names are the constants below. Kafka client
 * metrics (consumer lag: {@code kafka_consumer_fetch_manager_records_lag_max}) come from Quarkus'
 * Kafka binder.
 */
@ApplicationScoped
public class TeacherMetrics implements TeacherStageListener {

    public static final String PROMPTS_ACCEPTED = "sfd.teacher.prompts.accepted";
    public static final String PROMPTS_REJECTED = "sfd.teacher.prompts.rejected";
    public static final String PROMPTS_DONE = "sfd.teacher.prompts.done";
    /** Text-to-image prompts accepted with more tokens than the tokenizer's max length (truncated). */
    public static final String PROMPTS_TRUNCATED = "sfd.teacher.prompts.truncated";
    public static final String TRAJECTORIES = "sfd.teacher.trajectories";
    /** Trajectory blocks acknowledged by the broker (one record each). */
    public static final String BLOCKS = "sfd.teacher.blocks";
    /** Bytes of the acknowledged blocks' values: divided by trajectories, the bytes on the wire per trajectory. */
    public static final String BLOCK_BYTES = "sfd.teacher.block.bytes";
    /** Trajectories in acknowledged blocks. */
    public static final String TRAJECTORIES_ACKNOWLEDGED = "sfd.teacher.trajectories.acknowledged";
    /** Batched teacher network calls. */
    public static final String NFE = "sfd.teacher.nfe";
    /** Teacher evaluations per sample summed over samples (calls × batch); rate() = per-sample NFE/s. */
    public static final String SAMPLE_NFE = "sfd.teacher.sample.nfe";
    /** Per-sample NFE/s of the last teacher call. */
    public static final String SAMPLE_NFE_PER_SECOND = "sfd.teacher.sample.nfe.per.second";
    public static final String BATCH_FILL = "sfd.teacher.batch.fill";
    public static final String BATCH_TIME = "sfd.teacher.batch.time";
    public static final String PROMPTS_ACTIVE = "sfd.teacher.prompts.active";
    public static final String BLOCKS_IN_FLIGHT = "sfd.teacher.blocks.in.flight";

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter truncated;
    private final Counter done;
    private final Counter trajectories;
    private final Counter blocks;
    private final Counter blockBytes;
    private final Counter acknowledged;
    private final Counter nfe;
    private final Counter sampleNfe;
    private final DistributionSummary fill;
    private final Timer batchTime;
    private final AtomicLong lastNfePerSecond = new AtomicLong();

    public TeacherMetrics(MeterRegistry registry) {
        this.registry = registry;
        accepted = Counter.builder(PROMPTS_ACCEPTED).description("prompt records accepted").register(registry);
        rejected = Counter.builder(PROMPTS_REJECTED).description("prompt records dead-lettered").register(registry);
        truncated = Counter.builder(PROMPTS_TRUNCATED).description("text prompts truncated to the tokenizer's max "
                + "length").register(registry);
        done = Counter.builder(PROMPTS_DONE).description("prompts whose blocks are all acknowledged")
                .register(registry);
        trajectories = Counter.builder(TRAJECTORIES).description("teacher trajectories generated").register(registry);
        blocks = Counter.builder(BLOCKS).description("trajectory blocks acknowledged by the broker")
                .register(registry);
        blockBytes = Counter.builder(BLOCK_BYTES).description("bytes of the acknowledged blocks' record values")
                .register(registry);
        acknowledged = Counter.builder(TRAJECTORIES_ACKNOWLEDGED)
                .description("trajectories in blocks acknowledged by the broker").register(registry);
        nfe = Counter.builder(NFE).description("batched teacher network calls").register(registry);
        sampleNfe = Counter.builder(SAMPLE_NFE).description("teacher evaluations summed over samples")
                .register(registry);
        fill = DistributionSummary.builder(BATCH_FILL).description("samples per teacher call / batch size")
                .register(registry);
        batchTime = Timer.builder(BATCH_TIME).description("time of one teacher call (generation and encoding)")
                .register(registry);
        registry.gauge(SAMPLE_NFE_PER_SECOND, lastNfePerSecond);
    }

    /** Gauges over the running stage. */
    void watch(Supplier<Number> activePrompts, Supplier<Number> inFlight) {
        // strong references: registry.gauge holds its object weakly, and these suppliers are lambdas that
        // nothing else keeps, so a weak gauge would read NaN after the first GC and vanish from /q/metrics
        Gauge.builder(PROMPTS_ACTIVE, activePrompts, s -> s.get().doubleValue()).strongReference(true)
                .description("prompts being worked on").register(registry);
        Gauge.builder(BLOCKS_IN_FLIGHT, inFlight, s -> s.get().doubleValue()).strongReference(true)
                .description("blocks sent and not yet acknowledged by the broker").register(registry);
    }

    void accepted() {
        accepted.increment();
    }

    void truncated() {
        truncated.increment();
    }

    void rejected() {
        rejected.increment();
    }

    @Override
    public void batchGenerated(int stepCount, int samples, int batchSize, long calls, long nanos) {
        trajectories.increment(samples);
        nfe.increment(calls);
        sampleNfe.increment((double) calls * samples);
        fill.record((double) samples / batchSize);
        batchTime.record(nanos, TimeUnit.NANOSECONDS);
        lastNfePerSecond.set(nanos > 0 ? Math.round(calls * samples * 1e9 / nanos) : 0);
    }

    @Override
    public void blockAcknowledged(int rows, int bytes) {
        blocks.increment();
        blockBytes.increment(bytes);
        acknowledged.increment(rows);
    }

    @Override
    public void promptDone(String promptId, int trajectoryCount) {
        done.increment();
    }
}
