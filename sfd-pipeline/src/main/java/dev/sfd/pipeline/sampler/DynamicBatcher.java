package dev.sfd.pipeline.sampler;

import dev.sfd.core.distill.StudentSample;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges concurrent requests with the same step count N and guidance ω into one model call, up to
 * {@link BatcherSettings#maxBatch()} samples. Requests keep their own seeds (each sample's noise
 * comes from its own seed only), so a batched sample equals the one made alone.
 *
 * <p>When to call the model:
 * <ul>
 *   <li>Idle fast path: when nothing is queued and no model call is running, the request runs on
 *       the caller's own thread, with no hand-off. Without an executor ({@link #submit(SampleRequest,
 *       long)}) it runs inside submit. With the caller's own task queue (an event loop: {@link
 *       #submit(SampleRequest, long, Executor)}) one drain is posted there: every request that
 *       arrives on that loop before the drain runs (a burst of reads) joins the same model call,
 *       and the replies are written from the same thread. The workers take over only under load.</li>
 *   <li>A worker starts a call at once when it is full, at a preferred batch size, when no other
 *       call is in flight, or when the oldest waiting request has waited
 *       {@link BatcherSettings#maxQueueDelay()}; otherwise (another call is running, so more
 *       requests are likely) it waits for more, at most that delay.</li>
 * </ul>
 * The queue is bounded (in samples): a request that does not fit is refused at once
 * (RESOURCE_EXHAUSTED). A request whose deadline passes, or that is cancelled, before its call
 * starts is dropped. A request larger than the max batch runs alone, whole.
 *
 * <p>Text-to-image students ({@link TextBatch}): requests with different prompts share a call (each
 * sample gets its own request's embedding, encoded before queueing); the latents of the requests that
 * want images are decoded in one batched VAE call, a LATENT request's are returned as they are.
 */
public final class DynamicBatcher implements AutoCloseable {

    private final LiveModel live;
    private final BatcherSettings settings;
    private final BatchObserver observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Submission> pending = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private int queuedSamples;
    /** Model calls running now (workers and fast paths). */
    private int calls;
    /** A fast-path drain is posted to a caller's event loop and has not run yet. */
    private boolean drainScheduled;
    private Executor drainOn;
    private boolean running = true;

    public DynamicBatcher(LiveModel live, BatcherSettings settings, BatchObserver observer) {
        this.live = live;
        this.settings = settings;
        this.observer = observer;
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = new Thread(this::work, "sfd-sampler-batch-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    public BatcherSettings settings() {
        return settings;
    }

    /** Samples waiting now. */
    public int queuedSamples() {
        lock.lock();
        try {
            return queuedSamples;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues one request.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which it must have started, or
     *                      {@link Long#MAX_VALUE} for none
     */
    public Submission submit(SampleRequest request, long deadlineNanos) {
        return submitAll(List.of(request), deadlineNanos, null).get(0);
    }

    /**
     * Queues one request; on an idle batcher its model call runs as a task of {@code here} (the
     * caller's own event loop), together with whatever arrives there before the task runs.
     */
    public Submission submit(SampleRequest request, long deadlineNanos, Executor here) {
        return submitAll(List.of(request), deadlineNanos, here).get(0);
    }

    public List<Submission> submitAll(List<SampleRequest> requests, long deadlineNanos) {
        return submitAll(requests, deadlineNanos, null);
    }

    /**
     * Queues several requests together: all are queued, or none (RESOURCE_EXHAUSTED). On an idle
     * batcher (see the class comment) the first batch of them runs on this thread before it returns.
     */
    public List<Submission> submitAll(List<SampleRequest> requests, long deadlineNanos, Executor here) {
        int samples = requests.stream().mapToInt(SampleRequest::count).sum();
        long now = System.nanoTime();
        long deadline = deadlineNanos == Long.MAX_VALUE ? now + TimeUnit.DAYS.toNanos(3650) : deadlineNanos;
        List<Submission> fast = null;
        List<Submission> result;
        lock.lock();
        try {
            if (!running) {
                throw new SamplerException(SamplerException.Kind.UNAVAILABLE, null, "the sampler is shutting down");
            }
            if (queuedSamples + samples > settings.queueCapacity()) {
                throw new SamplerException(SamplerException.Kind.RESOURCE_EXHAUSTED, null, "the queue holds "
                        + queuedSamples + " of " + settings.queueCapacity() + " samples and this request adds "
                        + samples + "; retry with backoff (or raise sfd.sampler.queue-capacity)");
            }
            List<Submission> out = new ArrayList<>(requests.size());
            for (SampleRequest r : requests) {
                Submission s = new Submission(this, r, now, deadline);
                pending.addLast(s);
                out.add(s);
            }
            queuedSamples += samples;
            boolean drainFirst = false;
            if (settings.idleFastPath() && calls == 0 && !drainScheduled && pending.size() == requests.size()) {
                calls++; // idle: this thread runs it, no hand-off
                if (here == null) {
                    fast = take(out.get(0));
                } else {
                    drainScheduled = true;
                    drainFirst = true;
                }
            }
            if (drainFirst) {
                drainOn = here;
            } else if (!pending.isEmpty() && !drainScheduled) {
                changed.signalAll(); // a scheduled drain takes what is waiting, or finished() wakes a worker
            }
            result = out;
        } finally {
            lock.unlock();
        }
        if (fast != null) {
            try {
                run(fast);
            } finally {
                finished();
            }
        }
        Executor post = takeDrainExecutor();
        if (post != null) {
            try {
                post.execute(this::drain);
            } catch (RuntimeException e) {
                drain(); // the loop refused the task (closing): run it here
            }
        }
        return result;
    }

    private Executor takeDrainExecutor() {
        lock.lock();
        try {
            Executor e = drainOn;
            drainOn = null;
            return e;
        } finally {
            lock.unlock();
        }
    }

    /** The posted fast path: one model call for everything compatible that arrived meanwhile. */
    private void drain() {
        List<Submission> batch = null;
        lock.lock();
        try {
            drainScheduled = false;
            dropExpired(System.nanoTime());
            Submission first = pending.peekFirst();
            if (first != null && running) {
                batch = take(first);
            }
        } finally {
            lock.unlock();
        }
        try {
            if (batch != null) {
                run(batch);
            }
        } finally {
            finished();
        }
    }

    private void finished() {
        lock.lock();
        try {
            calls--;
            if (!pending.isEmpty()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void cancel(Submission s) {
        lock.lock();
        try {
            if (pending.remove(s)) {
                queuedSamples -= s.request.count();
                s.future.completeExceptionally(new SamplerException(SamplerException.Kind.CANCELLED, null,
                        "cancelled by the caller before it ran"));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            List<Submission> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            try {
                run(batch);
            } finally {
                finished();
            }
        }
    }

    /** Blocks until a batch is due; null when closed. */
    private List<Submission> nextBatch() throws InterruptedException {
        long maxDelay = settings.maxQueueDelay().toNanos();
        lock.lock();
        try {
            while (true) {
                if (!running) {
                    return null;
                }
                long now = System.nanoTime();
                dropExpired(now);
                Submission first = pending.peekFirst();
                if (first == null) {
                    changed.await();
                    continue;
                }
                long flushAt = first.enqueuedNanos + maxDelay;
                boolean othersInFlight = calls > 0 || settings.delayAlways();
                if (maxDelay == 0 || !othersInFlight || now - flushAt >= 0 || settings.due(compatibleSamples(first))) {
                    calls++;
                    return take(first);
                }
                long wait = Math.min(flushAt - now, earliestDeadline() - now);
                changed.awaitNanos(Math.max(1, wait));
            }
        } finally {
            lock.unlock();
        }
    }

    private void dropExpired(long now) {
        for (Iterator<Submission> it = pending.iterator(); it.hasNext(); ) {
            Submission s = it.next();
            if (s.expired(now)) {
                it.remove();
                queuedSamples -= s.request.count();
                s.future.completeExceptionally(new SamplerException(SamplerException.Kind.DEADLINE_EXCEEDED, null,
                        "the deadline passed after " + TimeUnit.NANOSECONDS.toMillis(now - s.enqueuedNanos)
                                + " ms in the queue; it was not run"));
            }
        }
    }

    private long earliestDeadline() {
        long min = Long.MAX_VALUE;
        long base = System.nanoTime();
        for (Submission s : pending) {
            min = Math.min(min, s.deadlineNanos - base);
        }
        return base + Math.max(0, min);
    }

    private int compatibleSamples(Submission first) {
        int total = 0;
        for (Submission s : pending) {
            if (s.batchesWith(first)) {
                total += s.request.count();
                if (total >= settings.maxBatch()) {
                    break;
                }
            }
        }
        return total;
    }

    private List<Submission> take(Submission first) {
        List<Submission> batch = new ArrayList<>();
        int total = 0;
        for (Iterator<Submission> it = pending.iterator(); it.hasNext(); ) {
            Submission s = it.next();
            if (!s.batchesWith(first)) {
                continue;
            }
            int k = s.request.count();
            if (!batch.isEmpty() && total + k > settings.maxBatch()) {
                continue;
            }
            batch.add(s);
            total += k;
            it.remove();
            queuedSamples -= k;
            if (total >= settings.maxBatch()) {
                break;
            }
        }
        changed.signalAll();
        return batch;
    }

    private void run(List<Submission> batch) {
        long start = System.nanoTime();
        int total = batch.stream().mapToInt(s -> s.request.count()).sum();
        SampleRequest head = batch.get(0).request;
        try (ModelLease lease = live.acquire()) {
            LoadedModel model = lease.model();
            long[] seeds = new long[total];
            int at = 0;
            for (Submission s : batch) {
                long[] own = s.request.seeds();
                System.arraycopy(own, 0, seeds, at, own.length);
                at += own.length;
            }
            StudentSample out;
            FloatTensor[] perRequest;
            try {
                if (model.takesText()) {
                    out = TextBatch.sample(model, live.text().orElseThrow(), batch, seeds, head);
                    perRequest = TextBatch.outputs(live.text().orElseThrow(), batch, out.samples());
                } else {
                    out = model.sampler().sample(seeds, labels(model, batch, total), head.steps(), head.omega());
                    perRequest = split(batch, out.samples());
                }
            } catch (IllegalArgumentException e) {
                // the request was checked against an earlier version that accepted it
                throw SamplerException.invalid("steps", "v" + model.version() + " cannot run it: " + e.getMessage());
            }
            long modelNanos = System.nanoTime() - start;
            for (int i = 0; i < batch.size(); i++) {
                Submission s = batch.get(i);
                String warning = s.request.text() == null || !s.request.text().truncated() ? out.warning()
                        : out.warning().isEmpty() ? s.request.text().warning()
                        : out.warning() + "; " + s.request.text().warning();
                s.future.complete(new SampleBatch(s.request.seeds(), perRequest[i], model.manifest(),
                        s.request, out.nfe(), out.timestamps(), out.untrained(), warning,
                        start - s.enqueuedNanos, modelNanos, total));
            }
            observer.batch(batch.size(), total, modelNanos);
        } catch (RuntimeException e) {
            for (Submission s : batch) {
                s.future.completeExceptionally(e);
            }
        }
    }

    private static int[] labels(LoadedModel model, List<Submission> batch, int total) {
        if (model.metadata().classes() <= 0) {
            return null;
        }
        int[] labels = new int[total];
        int at = 0;
        for (Submission s : batch) {
            Arrays.fill(labels, at, at + s.request.count(), s.request.label());
            at += s.request.count();
        }
        return labels;
    }

    /** The rows of {@code all} of each request, in batch order. */
    static FloatTensor[] split(List<Submission> batch, FloatTensor all) {
        FloatTensor[] parts = new FloatTensor[batch.size()];
        int per = all.sampleSize();
        int at = 0;
        for (int i = 0; i < batch.size(); i++) {
            int k = batch.get(i).request.count();
            long[] shape = all.shape().clone();
            shape[0] = k;
            parts[i] = new FloatTensor(shape, Arrays.copyOfRange(all.data(), at * per, (at + k) * per));
            at += k;
        }
        return parts;
    }

    /** Stops the workers; requests still waiting fail with UNAVAILABLE. */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            for (Submission s : pending) {
                s.future.completeExceptionally(new SamplerException(SamplerException.Kind.UNAVAILABLE, null,
                        "the sampler is shutting down"));
            }
            pending.clear();
            queuedSamples = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
