package dev.sfd.pipeline.teacher;

import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The teacher stage's loop, on one thread of its own (the teacher call is CPU-heavy and
 * ordered), with a second thread encoding and sending the previous batch meanwhile: holds up to
 * {@code maxActivePrompts} prompts, cuts their samples into batches of one step count N
 * ({@link BatchPlanner}; a partial batch waits up to {@code batchWait} after its oldest prompt
 * arrived, so small prompts share teacher calls), generates each batch, cuts it into trajectory
 * blocks ({@link BlockEncoder}: one or more per prompt of the batch) and sends each block as one
 * record, never more than {@code maxInFlightBlocks} unacknowledged. A prompt's
 * {@link PromptTicket} is told "done" only when all its blocks are acknowledged.
 *
 * <p>Memory is bounded under any burst: beyond {@code maxActivePrompts} the future returned by
 * {@link #submit} stays incomplete (the caller stops feeding, e.g. Kafka pauses the partition);
 * samples exist only for the batch being generated and at most two generated ones (one being sent,
 * one queued); blocks in flight are capped.
 *
 * <p>{@link #stop} finishes the batch in progress, waits for its acknowledgements and returns;
 * prompts not finished get no ticket call, so they are handed back (re-delivered).
 */
public final class TeacherStageWorker implements AutoCloseable {

    private record Active(PromptPlan plan, PromptProgress progress, long admittedNanos) {
    }

    private record Waiting(ValidatedPrompt prompt, PromptTicket ticket, CompletableFuture<Void> admitted) {
    }

    private record Taken(JobBatch batch, List<PromptProgress> perJob, List<PromptProgress> planned) {
    }

    private final TeacherBatchRunner runner;
    private final BlockEncoder encoder;
    private final BlockSink sink;
    private final TeacherStageListener listener;
    private final TeacherStageSettings settings;
    private final BatchPlanner planner;
    private final Semaphore inFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Active> active = new ArrayList<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Thread thread;
    /** Generated batches waiting for the sender: one, so encoding and sending overlap the next batch. */
    private final ArrayBlockingQueue<Runnable> toSend = new ArrayBlockingQueue<>(1);
    private final Thread sender;
    private static final Runnable END = () -> { };
    private volatile boolean stopping;
    private volatile Throwable crashed;

    public TeacherStageWorker(TeacherBatchRunner runner, TeacherStageSettings settings, BlockSink sink,
                              TeacherStageListener listener) {
        this.runner = runner;
        this.settings = settings;
        this.encoder = new BlockEncoder(runner.info(), settings);
        this.sink = sink;
        this.listener = listener == null ? TeacherStageListener.NONE : listener;
        this.planner = new BatchPlanner(settings.batchSize());
        this.inFlight = new Semaphore(settings.maxInFlightBlocks());
        this.thread = new Thread(this::loop, "sfd-teacher-worker");
        this.thread.setDaemon(true);
        this.sender = new Thread(this::sendLoop, "sfd-teacher-sender");
        this.sender.setDaemon(true);
    }

    public TeacherStageWorker start() {
        sender.start();
        thread.start();
        return this;
    }

    /**
     * Hands a validated prompt to the stage. The returned stage completes when the prompt is taken
     * into memory (immediately while fewer than {@code maxActivePrompts} are held); the ticket says
     * when its trajectories are safe.
     */
    public CompletionStage<Void> submit(ValidatedPrompt prompt, PromptTicket ticket) {
        lock.lock();
        try {
            if (stopping) {
                return CompletableFuture.completedFuture(null); // never processed: handed back on restart
            }
            if (active.size() < settings.maxActivePrompts() && waiting.isEmpty()) {
                admit(prompt, ticket);
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> admitted = new CompletableFuture<>();
            waiting.add(new Waiting(prompt, ticket, admitted));
            return admitted;
        } finally {
            lock.unlock();
        }
    }

    /** Prompts in memory, and prompts waiting to be taken in. */
    public int activePrompts() {
        lock.lock();
        try {
            return active.size();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks sent and not yet acknowledged. */
    public int inFlightBlocks() {
        return settings.maxInFlightBlocks() - inFlight.availablePermits();
    }

    /** B, trajectories per block for this teacher. */
    public int rowsPerBlock() {
        return encoder.rowsPerBlock();
    }

    /** True while the loop runs (false after a stop or an unexpected error). */
    public boolean running() {
        return thread.isAlive() && sender.isAlive() && !stopping;
    }

    /** Why the loop died, if it did. */
    public Throwable crashed() {
        return crashed;
    }

    /**
     * Stops taking batches, lets the batch in progress finish and waits for its acknowledgements,
     * up to {@code timeout}. Returns true when nothing was left in flight.
     */
    public boolean stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            for (Thread t : new Thread[] {thread, sender}) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(1000);
                }
            }
            int all = settings.maxInFlightBlocks();
            long left = Math.max(0, deadline - System.nanoTime());
            if (inFlight.tryAcquire(all, left, TimeUnit.NANOSECONDS)) {
                inFlight.release(all);
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    private void admit(ValidatedPrompt prompt, PromptTicket ticket) {
        active.add(new Active(new PromptPlan(prompt), new PromptProgress(prompt.id(), ticket, listener),
                System.nanoTime()));
        changed.signalAll();
    }

    private void loop() {
        try {
            while (true) {
                Taken taken = nextBatch();
                if (taken == null) {
                    break;
                }
                generate(taken);
            }
            toSend.put(END); // the sender finishes what was generated, then stops
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            crashed = e;
            toSend.offer(END);
            throw e;
        }
    }

    private void sendLoop() {
        try {
            for (Runnable task = toSend.take(); task != END; task = toSend.take()) {
                task.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            crashed = e;
            throw e;
        }
    }

    private Taken nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (!stopping) {
                active.removeIf(a -> a.progress().finished()); // failed prompts: no more work
                admitWaiting();
                List<PromptPlan> plans = active.stream().map(Active::plan).toList();
                int available = planner.available(plans);
                if (available == 0) {
                    changed.await();
                    continue;
                }
                if (available < settings.batchSize()) {
                    long wait = active.get(0).admittedNanos() + settings.batchWait().toNanos() - System.nanoTime();
                    if (wait > 0) {
                        changed.awaitNanos(wait);
                        continue;
                    }
                }
                JobBatch batch = planner.next(plans).orElseThrow();
                Map<ValidatedPrompt, Active> byPrompt = new IdentityHashMap<>();
                active.forEach(a -> byPrompt.put(a.plan().prompt(), a));
                List<PromptProgress> perJob = new ArrayList<>();
                List<PromptProgress> planned = new ArrayList<>();
                for (SampleJob job : batch.jobs()) {
                    Active a = byPrompt.get(job.prompt());
                    perJob.add(a.progress());
                    if (a.plan().done()) {
                        planned.add(a.progress());
                        active.remove(a);
                    }
                }
                admitWaiting();
                return new Taken(batch, perJob, planned);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void admitWaiting() {
        while (!waiting.isEmpty() && active.size() < settings.maxActivePrompts()) {
            Waiting w = waiting.poll();
            admit(w.prompt(), w.ticket());
            w.admitted().complete(null);
        }
    }

    /** Runs the teacher on the worker thread, then queues encoding and sending for the sender thread. */
    private void generate(Taken taken) throws InterruptedException {
        JobBatch batch = taken.batch();
        long t0 = System.nanoTime();
        TeacherTrajectory trajectory;
        try {
            trajectory = runner.run(batch);
        } catch (RuntimeException e) {
            taken.perJob().forEach(p -> p.fail(e));
            return;
        }
        long nanos = System.nanoTime() - t0;
        toSend.put(() -> {
            try {
                send(taken, trajectory, nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            }
        });
    }

    private void send(Taken taken, TeacherTrajectory trajectory, long generationNanos) throws InterruptedException {
        JobBatch batch = taken.batch();
        List<BlockRecord> records;
        try {
            records = encoder.encode(batch, trajectory);
        } catch (RuntimeException e) {
            taken.perJob().forEach(p -> p.fail(e));
            return;
        }
        listener.batchGenerated(batch.stepCount(), batch.size(), settings.batchSize(), trajectory.nfe(),
                generationNanos);
        int r = 0;
        for (int j = 0; j < batch.jobs().size(); j++) {
            SampleJob job = batch.jobs().get(j);
            PromptProgress progress = taken.perJob().get(j);
            int blocks = (job.size() + encoder.rowsPerBlock() - 1) / encoder.rowsPerBlock();
            progress.sending(job.size(), blocks);
            for (int s = 0; s < blocks; s++, r++) {
                inFlight.acquire();
                send(records.get(r), progress);
            }
        }
        taken.planned().forEach(PromptProgress::planFinished);
    }

    private void send(BlockRecord record, PromptProgress progress) {
        CompletionStage<Void> sent;
        try {
            sent = sink.send(record);
        } catch (RuntimeException e) {
            inFlight.release();
            progress.fail(e);
            return;
        }
        sent.whenComplete((ok, error) -> {
            inFlight.release();
            if (error == null) {
                listener.blockAcknowledged(record.rows(), record.value().length);
                progress.acknowledged();
            } else {
                progress.fail(error);
            }
        });
    }
}
