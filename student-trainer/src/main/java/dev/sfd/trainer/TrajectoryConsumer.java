package dev.sfd.trainer;

import dev.sfd.pipeline.trainer.BlockIntake;
import dev.sfd.pipeline.trainer.CheckpointPublisher;
import dev.sfd.pipeline.trainer.CheckpointSnapshot;
import dev.sfd.pipeline.trainer.RecordPosition;
import dev.sfd.pipeline.trainer.TrainerStage;
import dev.sfd.pipeline.trainer.TrainingLoop;
import dev.sfd.pipeline.trainer.TrajectoryRecord;
import dev.sfd.service.DeadLetterRecord;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Kafka side, on its own consumer thread: polls {@code ${sfd.topic.trajectories}}, decodes and
 * validates each block there ({@link BlockIntake}), sends refused blocks to
 * {@code ${sfd.topic.trajectories-dlq}} (acknowledged by the broker before they are handed on) and
 * offers the checked blocks to the {@link TrainingLoop}'s bounded queue. When the queue is full
 * the consumer pauses its partitions and keeps polling (so memory stays bounded and no poll timeout
 * is hit), and resumes them once there is room. Offsets are committed only from here, and only
 * the offsets of a checkpoint once it is stored and announced. A ticker (every second) renews the
 * writer lease and ends a pass (the stage then replays its local block cache, the consumer keeps
 * its position) or the input (train what is buffered, checkpoint) once everything is read and
 * nothing arrived for {@code sfd.trainer.idle-end}.
 */
@ApplicationScoped
public class TrajectoryConsumer {

    private static final Logger LOG = Logger.getLogger(TrajectoryConsumer.class);

    private final TrainerService service;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final AtomicLong lastArrival = new AtomicLong(System.nanoTime());
    private final AtomicLong lag = new AtomicLong(-1);
    private final ConcurrentLinkedQueue<Map<TopicPartition, OffsetAndMetadata>> commits = new ConcurrentLinkedQueue<>();
    private volatile Map<Integer, Long> endOffsets = Map.of();
    private volatile boolean stopping;
    private volatile boolean holding;
    private Thread poller;
    private TrainingLoop loop;
    private ScheduledExecutorService ticker;
    private KafkaConsumer<String, byte[]> consumer;
    private long lastLeaseRenewal;
    private volatile boolean endOfInputCheckpointed;

    public TrajectoryConsumer(TrainerService service) {
        this.service = service;
    }

    void onStart(@Observes StartupEvent ev) {
        service.onCommit(this::commit);
        loop = new TrainingLoop(service.stage(), service.config().intakeQueueBlocks(), service::submit).start();
        consumer = newConsumer();
        poller = new Thread(this::poll, "sfd-trainer-consumer");
        poller.setDaemon(true);
        poller.start();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sfd-trainer-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        stopping = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            if (poller != null) {
                poller.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loop != null) {
            loop.stop(Duration.ofSeconds(30));
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, service.config().groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "student-trainer-" + service.student());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(service.config().maxPollRecords()));
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The consumer thread: poll, check, dead-letter, offer; pause while the training queue is full. */
    private void poll() {
        BlockIntake intake = service.stage().newIntake();
        List<BlockIntake.Item> held = new ArrayList<>();
        Map<Integer, Long> handedNext = new HashMap<>();
        boolean paused = false;
        long lastEnds = 0;
        try {
            consumer.subscribe(List.of(service.trajectoriesTopic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // not yet offered: the next owner (maybe us again) re-reads them
                    held.removeIf(i -> partitions.stream().anyMatch(tp -> tp.partition() == i.position().partition()));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    seek(partitions, handedNext);
                }
            });
            while (!stopping) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (!batch.isEmpty()) {
                    lastArrival.set(System.nanoTime());
                    endOfInputCheckpointed = false;
                    List<TrajectoryRecord> records = new ArrayList<>(batch.count());
                    Map<RecordPosition, ConsumerRecord<String, byte[]>> byPosition = new HashMap<>();
                    for (ConsumerRecord<String, byte[]> r : batch) {
                        RecordPosition pos = new RecordPosition(r.partition(), r.offset());
                        records.add(new TrajectoryRecord(pos, r.key(), r.value()));
                        byPosition.put(pos, r);
                    }
                    List<BlockIntake.Item> items = intake.checkAll(records);
                    deadLetter(items, byPosition);
                    held.addAll(items);
                }
                if (!held.isEmpty()) {
                    List<BlockIntake.Item> offered = held.subList(0, loop.offer(held));
                    offered.forEach(i -> handedNext.put(i.position().partition(), i.position().offset() + 1));
                    offered.clear();
                }
                holding = !held.isEmpty();
                if (holding && !paused) {
                    consumer.pause(consumer.assignment());
                    paused = true;
                } else if (!holding && paused) {
                    consumer.resume(consumer.paused());
                    paused = false;
                }
                for (Map<TopicPartition, OffsetAndMetadata> c = commits.poll(); c != null; c = commits.poll()) {
                    commitNow(c);
                }
                if (System.nanoTime() - lastEnds > 1_000_000_000L) {
                    measureLag();
                    lastEnds = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } catch (Exception e) {
            LOG.errorf(e, "trajectory consumer stopped: %s", e.getMessage());
            service.consumerFailed(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Positions newly assigned partitions: past what was handed to training, else the stage's bookkeeping. */
    private void seek(Collection<TopicPartition> partitions, Map<Integer, Long> handedNext) {
        Map<Integer, Long> seek = service.stage().seekPositions(partitions.stream().map(TopicPartition::partition)
                .toList());
        for (TopicPartition tp : partitions) {
            Long offset = handedNext.containsKey(tp.partition()) ? handedNext.get(tp.partition()) : seek.get(tp.partition());
            if (offset != null) {
                consumer.seek(tp, offset);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        LOG.infof("assigned %s; reading from %s (others from the beginning)", partitions, seek);
    }

    /** Sends every refused block to the dead-letter topic and waits for the broker's acknowledgement. */
    private void deadLetter(List<BlockIntake.Item> items, Map<RecordPosition, ConsumerRecord<String, byte[]>> records)
            throws Exception {
        Map<Integer, Long> refill = service.stage().refillBelow();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (BlockIntake.Item item : items) {
            if (!(item instanceof BlockIntake.Refused refused)) {
                continue;
            }
            Long below = refill.get(item.position().partition());
            if (below != null && item.position().offset() < below) {
                continue; // a resumed replay pass re-reads it to refill its cache: dead-lettered in pass 1 already
            }
            ConsumerRecord<String, byte[]> r = records.get(item.position());
            var rej = refused.rejection();
            LOG.warnf("dead letter %s/%s: %s", r.topic(), rej.position(), rej.reason());
            sent.add(service.producer().send(DeadLetterRecord.of(service.deadLetterTopic(), r.key(), r.value(),
                    r.headers(), r.topic(), r.partition(), r.offset(), "[" + rej.code() + "] " + rej.reason())));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    private void commit(CheckpointPublisher.StoredCheckpoint stored) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        stored.offsets().forEach((p, o) -> offsets.put(new TopicPartition(service.trajectoriesTopic(), p),
                new OffsetAndMetadata(o, service.student() + " v" + stored.manifest().version())));
        if (!offsets.isEmpty()) {
            commits.add(offsets); // committed by the consumer thread (KafkaConsumer is single-threaded)
        }
    }

    private void commitNow(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(30));
        } catch (RuntimeException e) { // the checkpoint is the truth: a lost commit only shows as lag
            LOG.warnf("could not commit %s: %s", offsets, e.getMessage());
        }
    }

    private void measureLag() {
        try {
            var assigned = consumer.assignment();
            Map<Integer, Long> ends = new HashMap<>();
            long total = 0;
            for (var e : consumer.endOffsets(assigned, Duration.ofSeconds(5)).entrySet()) {
                ends.put(e.getKey().partition(), e.getValue());
                total += Math.max(0, e.getValue() - consumer.position(e.getKey(), Duration.ofSeconds(5)));
            }
            endOffsets = ends;
            lag.set(total);
        } catch (RuntimeException e) {
            LOG.debugf("lag not measured: %s", e.getMessage());
        }
    }

    private void tick() {
        try {
            TrainerStage stage = service.stage();
            long now = System.currentTimeMillis();
            if (now - lastLeaseRenewal > service.config().leaseTtl().toMillis() / 3) {
                service.renewLease();
                lastLeaseRenewal = now;
            }
            if (loop.crashed() != null) {
                service.consumerFailed(loop.crashed());
                return;
            }
            Map<Integer, Long> ends = endOffsets;
            boolean idle = System.nanoTime() - lastArrival.get() > service.config().idleEnd().toNanos()
                    && loop.idle() && !holding;
            if (!idle || ends.isEmpty() || !stage.passComplete(ends)) {
                return;
            }
            if (stage.pass() < service.replayPasses() && !stage.budgetReached()) {
                int pass = stage.startNextPass();
                LOG.infof("replay pass %d of %d: replaying the local block cache (%d blocks); the consumer keeps "
                        + "its position", pass, service.replayPasses(), stage.stats().cachedBlocks.get());
            } else if (!endOfInputCheckpointed) {
                stage.drain();
                CheckpointSnapshot end = stage.snapshotIfTrained(System.nanoTime()); // null if the budget's was last
                if (end != null) {
                    LOG.infof("end of input: checkpointing what is trained (%d trajectories)",
                            stage.trainer().trajectoriesSeen());
                    service.submit(end);
                }
                endOfInputCheckpointed = true;
            }
        } catch (Exception e) {
            LOG.warnf("trainer tick: %s", e.toString());
        }
    }

    /** Records behind the log end on the assigned partitions at the last measurement; -1 before the first. */
    double lag() {
        return lag.get();
    }

    /** Blocks waiting in the training queue. */
    int queued() {
        return loop == null ? 0 : loop.queued();
    }
}
