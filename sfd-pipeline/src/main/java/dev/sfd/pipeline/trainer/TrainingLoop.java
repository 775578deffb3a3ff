package dev.sfd.pipeline.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The trainer's training thread behind a bounded queue of checked blocks: the consumer thread
 * {@link #offer}s what its intake checked (never blocking; when the queue is full it pauses its
 * partitions and keeps polling, so memory stays bounded and no poll timeout is hit), and this
 * thread hands them to the {@link TrainerStage} in order. With nothing queued it replays the local
 * block cache, if a replay pass is on. After each step a due checkpoint goes to {@code checkpoints}.
 */
public final class TrainingLoop implements AutoCloseable {

    private final TrainerStage stage;
    private final LinkedBlockingQueue<BlockIntake.Item> queue;
    private final Consumer<CheckpointSnapshot> checkpoints;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable crashed;
    /** Items taken and not yet handed to the stage: the queue is not "drained" before they are. */
    private volatile int inHand;

    /**
     * @param capacity    blocks the queue holds at most ({@code sfd.trainer.intake-queue-blocks})
     * @param checkpoints where due checkpoints go (the publisher); called on the training thread
     */
    public TrainingLoop(TrainerStage stage, int capacity, Consumer<CheckpointSnapshot> checkpoints) {
        if (capacity < 1) {
            throw new IllegalArgumentException("sfd.trainer.intake-queue-blocks must be >= 1, got " + capacity);
        }
        this.stage = stage;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.checkpoints = checkpoints;
        this.thread = new Thread(this::run, "sfd-trainer-training");
        this.thread.setDaemon(true);
    }

    public TrainingLoop start() {
        thread.start();
        return this;
    }

    /**
     * Queues as many of {@code items} (from the front) as there is room for and returns how many
     * were taken; the caller keeps the rest, pauses its partitions and offers them again later.
     */
    public int offer(List<BlockIntake.Item> items) {
        int taken = 0;
        for (BlockIntake.Item item : items) {
            if (!queue.offer(item)) {
                break;
            }
            taken++;
        }
        return taken;
    }

    /** Blocks queued for training. */
    public int queued() {
        return queue.size();
    }

    /** Room left in the queue. */
    public int room() {
        return queue.remainingCapacity();
    }

    /** Whether nothing is queued or being handed to the stage. */
    public boolean idle() {
        return queue.isEmpty() && inHand == 0;
    }

    public Throwable crashed() {
        return crashed;
    }

    public boolean running() {
        return thread.isAlive();
    }

    private void run() {
        List<BlockIntake.Item> batch = new ArrayList<>();
        try {
            while (!stopping) {
                BlockIntake.Item first = queue.poll(stage.replaying() ? 0 : 100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    inHand = 1;
                    batch.add(first);
                    queue.drainTo(batch, 255);
                    inHand = batch.size();
                    stage.accept(batch);
                    batch.clear();
                    inHand = 0;
                } else if (stage.replaying()) {
                    stage.replayStep(16);
                }
                CheckpointSnapshot snap = stage.budgetReached()
                        ? stage.snapshotIfTrained(System.nanoTime()) // the budget is used up: the final student now
                        : stage.checkpointIfDue(System.nanoTime());
                if (snap != null) {
                    checkpoints.accept(snap);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            crashed = e;
            throw e;
        }
    }

    /** Stops after the step in progress (queued blocks are not trained: their offsets stay uncommitted). */
    public void stop(Duration timeout) {
        stopping = true; // no interrupt: it would close the replay cache's file channel mid-write
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
