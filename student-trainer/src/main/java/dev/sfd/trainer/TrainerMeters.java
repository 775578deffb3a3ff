package dev.sfd.trainer;

import dev.sfd.pipeline.trainer.TrainerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Registers the trainer's meters ({@link TrainerMetrics}) over the stage's counters. */
@ApplicationScoped
public class TrainerMeters {

    private final Set<Integer> lossMeters = ConcurrentHashMap.newKeySet();

    void onStart(@Observes StartupEvent ev, MeterRegistry registry, TrainerService service,
                 TrajectoryConsumer consumer) {
        TrainerStats s = service.stage().stats();
        Tags student = Tags.of("student", service.student());
        FunctionCounter.builder(TrainerMetrics.STEPS, s.optimizerSteps, Number::doubleValue).tags(student)
                .description("Adam steps taken (rate = steps/s)").register(registry);
        FunctionCounter.builder(TrainerMetrics.TRAJECTORIES, s.trained, Number::doubleValue).tags(student)
                .description("trajectories trained on (rate = trajectories/s)").register(registry);
        FunctionCounter.builder(TrainerMetrics.BLOCKS, s.blocks, Number::doubleValue).tags(student)
                .description("trajectory block records received").register(registry);
        FunctionCounter.builder(TrainerMetrics.DUPLICATES, s.duplicates, Number::doubleValue).tags(student)
                .description("trajectories dropped because they were already applied in this pass").register(registry);
        FunctionCounter.builder(TrainerMetrics.DEAD_LETTERS, s.deadLetters, Number::doubleValue).tags(student)
                .register(registry);
        Gauge.builder(TrainerMetrics.CHECKPOINT_AGE, s.lastCheckpointEpochMillis,
                t -> t.get() == 0 ? -1 : (System.currentTimeMillis() - t.get()) / 1000.0).tags(student)
                .register(registry);
        Gauge.builder(TrainerMetrics.LAST_VERSION, s.lastVersion, Number::doubleValue).tags(student)
                .register(registry);
        // through a method: the injected consumer is a CDI client proxy, whose own fields are not the bean's
        Gauge.builder(TrainerMetrics.LAG, consumer, TrajectoryConsumer::lag).tags(student).strongReference(true)
                .register(registry);
        Gauge.builder(TrainerMetrics.PASS, s.pass, Number::doubleValue).tags(student).register(registry);
        // lock-free reads (atomics): a scrape never waits for a training step
        Gauge.builder(TrainerMetrics.BUFFERED, s.buffered, Number::doubleValue).tags(student).register(registry);
        Gauge.builder(TrainerMetrics.CACHED, s.cachedBlocks, Number::doubleValue).tags(student).register(registry);
        Gauge.builder(TrainerMetrics.QUEUED, consumer, TrajectoryConsumer::queued).tags(student).strongReference(true)
                .register(registry);
        for (int n : service.stage().trainer().config().stepCounts()) {
            if (lossMeters.add(n)) {
                Gauge.builder(TrainerMetrics.LOSS, s.lossPerN, m -> m.getOrDefault(n, Double.NaN))
                        .tags(student.and("n", Integer.toString(n))).description("last batch loss per step count N")
                        .register(registry);
            }
        }
    }
}
