package dev.sfd.trainer;

import dev.sfd.pipeline.trainer.CheckpointPublisher;
import dev.sfd.pipeline.trainer.CheckpointSnapshot;
import dev.sfd.pipeline.trainer.RecordPosition;
import dev.sfd.pipeline.trainer.Rejection;
import dev.sfd.pipeline.trainer.SegmentRecord;
import dev.sfd.pipeline.trainer.TrainerStage;
import dev.sfd.pipeline.trainer.TrajectoryIntake;
import dev.sfd.service.DeadLetterRecord;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The Kafka side: batches of trajectory-segment records from {@code ${sfd.topic.trajectories}}
 * go to the stage; refused records go to {@code ${sfd.topic.trajectories-dlq}} (acknowledged by
 * the broker before the batch returns); checkpoints due are handed to the publisher. Offsets are
 * never committed by SmallRye ({@code commit-strategy=ignore}): once a checkpoint is stored and
 * announced, exactly its offsets are committed through the consumer. A ticker (every second)
 * gives up incomplete trajectories, takes time-based checkpoints, measures lag, renews the writer
 * lease and ends a pass (replay from the beginning) or the input (train what is buffered,
 * checkpoint) once the consumer has caught up and nothing arrived for {@code sfd.trainer.idle-end}.
 */
@ApplicationScoped
public class TrajectoryConsumer {

    static final String CHANNEL = "trajectories";
    private static final Logger LOG = Logger.getLogger(TrajectoryConsumer.class);

    private final TrainerService service;
    private final KafkaClientService clients;
    private final AtomicLong lastArrival = new AtomicLong(System.nanoTime());
    private final AtomicLong lag = new AtomicLong(-1);
    private ScheduledExecutorService ticker;
    private long lastLeaseRenewal;
    private boolean endOfInputCheckpointed;

    public TrajectoryConsumer(TrainerService service, KafkaClientService clients) {
        this.service = service;
        this.clients = clients;
    }

    void onStart(@Observes StartupEvent ev) {
        service.onCommit(this::commit);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sfd-trainer-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> batch) throws Exception {
        TrainerStage stage = service.stage();
        List<SegmentRecord> records = new ArrayList<>(batch.count());
        Map<RecordPosition, ConsumerRecord<String, byte[]>> byPosition = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            RecordPosition pos = new RecordPosition(r.partition(), r.offset());
            records.add(new SegmentRecord(pos, r.key(), r.value()));
            byPosition.put(pos, r);
        }
        lastArrival.set(System.nanoTime());
        endOfInputCheckpointed = false;
        TrainerStage.Intake in = stage.accept(records, System.nanoTime());
        deadLetter(in.rejections(), byPosition);
        report(in.givenUp());
        CheckpointSnapshot snap = stage.budgetReached() && stage.trainedSinceCheckpoint()
                ? stage.snapshot(System.nanoTime()) // the budget is used up: checkpoint the final student now
                : stage.checkpointIfDue(System.nanoTime());
        if (snap != null) {
            service.submit(snap);
        }
    }

    /** Sends every rejection to the dead-letter topic and waits for the broker's acknowledgement. */
    private void deadLetter(List<Rejection> rejections, Map<RecordPosition, ConsumerRecord<String, byte[]>> records)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Rejection rej : rejections) {
            ConsumerRecord<String, byte[]> r = records.get(rej.position());
            LOG.warnf("dead letter %s/%s: %s", r.topic(), rej.position(), rej.reason());
            sent.add(service.producer().send(DeadLetterRecord.of(service.deadLetterTopic(), r.key(), r.value(),
                    r.headers(), r.topic(), r.partition(), r.offset(), "[" + rej.code() + "] " + rej.reason())));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    private static void report(List<TrajectoryIntake.GivenUp> givenUp) {
        for (TrajectoryIntake.GivenUp g : givenUp) {
            LOG.warnf("trajectory %s given up: %s (records %s)", g.trajectoryId(), g.why(), g.positions());
        }
    }

    private void commit(CheckpointPublisher.StoredCheckpoint stored) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        stored.offsets().forEach((p, o) -> offsets.put(new TopicPartition(service.trajectoriesTopic(), p),
                new OffsetAndMetadata(o, service.student() + " v" + stored.manifest().version())));
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer().commit(offsets).await().atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) { // the checkpoint is the truth: a lost commit only shows as lag
            LOG.warnf("could not commit %s after v%d: %s", offsets, stored.manifest().version(), e.getMessage());
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return clients.getConsumer(CHANNEL);
    }

    private void tick() {
        try {
            TrainerStage stage = service.stage();
            report(stage.expireIncomplete(System.nanoTime()));
            CheckpointSnapshot snap = stage.checkpointIfDue(System.nanoTime());
            if (snap != null) {
                service.submit(snap);
            }
            long now = System.currentTimeMillis();
            if (now - lastLeaseRenewal > service.config().leaseTtl().toMillis() / 3) {
                service.renewLease();
                lastLeaseRenewal = now;
            }
            KafkaConsumer<String, byte[]> consumer = consumer();
            if (consumer == null) {
                return;
            }
            Map<Integer, Long> ends = new HashMap<>();
            long[] totalLag = {0};
            consumer.runOnPollingThread(c -> {
                Set<TopicPartition> assigned = c.assignment();
                c.endOffsets(assigned).forEach((tp, end) -> {
                    ends.put(tp.partition(), end);
                    totalLag[0] += Math.max(0, end - c.position(tp));
                });
                return null;
            }).await().atMost(Duration.ofSeconds(10));
            lag.set(totalLag[0]);
            boolean idle = System.nanoTime() - lastArrival.get() > service.config().idleEnd().toNanos();
            if (!idle || ends.isEmpty() || !stage.passComplete(ends)) {
                return;
            }
            if (stage.pass() < service.config().replayPasses() && !stage.budgetReached()) {
                int pass = stage.startNextPass(ends.keySet());
                LOG.infof("replay pass %d of %d: reading %s from the beginning", pass,
                        service.config().replayPasses(), service.trajectoriesTopic());
                consumer.runOnPollingThread(c -> {
                    c.seekToBeginning(c.assignment());
                    return null;
                }).await().atMost(Duration.ofSeconds(10));
                lastArrival.set(System.nanoTime());
            } else if (!endOfInputCheckpointed) {
                stage.drain();
                if (stage.trainedSinceCheckpoint()) {
                    LOG.infof("end of input: checkpointing what is trained (%d trajectories)",
                            stage.trainer().trajectoriesSeen());
                    service.submit(stage.snapshot(System.nanoTime()));
                }
                endOfInputCheckpointed = true;
            }
        } catch (Exception e) {
            LOG.warnf("trainer tick: %s", e.toString());
        }
    }

    /** Records behind the log end on the assigned partitions at the last poll; -1 before the first. */
    double lag() {
        return lag.get();
    }
}
