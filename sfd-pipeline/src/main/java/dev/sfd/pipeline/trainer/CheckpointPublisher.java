package dev.sfd.pipeline.trainer;

import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores checkpoints and announces them, in that order, on a thread of its own so training never
 * waits for the object store: {@link #submit} hands over a snapshot and returns at once. The
 * publisher checks that no other writer holds the student's lease (if one does it stops publishing,
 * loudly), assigns the next <em>free</em> version (a version prefix that already holds objects, such
 * as a killed trainer's half-written upload, is never written over: the next number is taken), uploads {@code student.onnx}, the trainer state and
 * {@code manifest.json} (last), retrying with backoff while the store is unreachable, then
 * announces the stored manifest (retrying too), then tells the caller (who may now commit the
 * snapshot's offsets), then deletes versions beyond the newest {@code keep} except the last
 * announced one. When a newer snapshot arrives while one is still being stored, the newer one
 * replaces any snapshot still waiting (it covers more); the one in flight finishes first.
 */
public final class CheckpointPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CheckpointPublisher.class.getName());

    /** Names the other trainer that holds the student's writer lease, or empty when we hold it. */
    @FunctionalInterface
    public interface WriterCheck {
        Optional<String> otherWriter() throws Exception;
    }

    /** Sends the event of a stored checkpoint (e.g. to {@code sfd.checkpoints}); throws when it could not. */
    @FunctionalInterface
    public interface Announcer {
        void announce(CheckpointManifest stored) throws Exception;
    }

    private final CheckpointStore store;
    private final Announcer announcer;
    private final Backoff backoff;
    private final int keep;
    private final Consumer<StoredCheckpoint> onPublished;
    private final WriterCheck writerCheck;
    private final Thread thread;
    private volatile String fenced;
    private CheckpointSnapshot waiting;
    private boolean busy;
    private volatile boolean closed;
    private long lastVersion;
    private long lastAnnounced;
    private volatile String problem;

    /** What was published: the manifest as stored and the offsets it covers. */
    public record StoredCheckpoint(CheckpointManifest manifest, java.util.Map<Integer, Long> offsets) {
    }

    /**
     * @param lastVersion the newest version already in the store (0 if none): new versions follow it
     */
    public CheckpointPublisher(CheckpointStore store, Announcer announcer, Backoff backoff, int keep, long lastVersion,
                               Consumer<StoredCheckpoint> onPublished) {
        this(store, announcer, backoff, keep, lastVersion, onPublished, Optional::empty);
    }

    /**
     * @param lastVersion the newest version already in the store (0 if none): new versions follow it
     * @param writerCheck asked before every publication (e.g. {@link WriterLease#otherWriter})
     */
    public CheckpointPublisher(CheckpointStore store, Announcer announcer, Backoff backoff, int keep, long lastVersion,
                               Consumer<StoredCheckpoint> onPublished, WriterCheck writerCheck) {
        if (keep < 1) {
            throw new IllegalArgumentException("sfd.trainer.keep-versions must be >= 1, got " + keep);
        }
        this.store = store;
        this.announcer = announcer;
        this.backoff = backoff;
        this.keep = keep;
        this.lastVersion = lastVersion;
        this.lastAnnounced = lastVersion;
        this.onPublished = onPublished;
        this.writerCheck = writerCheck;
        this.thread = new Thread(this::run, "sfd-checkpoint-publisher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a snapshot (replacing one still waiting) and returns at once. */
    public synchronized void submit(CheckpointSnapshot snapshot) {
        if (closed) {
            throw new IllegalStateException("checkpoint publisher is closed");
        }
        waiting = snapshot;
        notifyAll();
    }

    /** Whether nothing is waiting or being stored. */
    public synchronized boolean idle() {
        return waiting == null && !busy;
    }

    /** Waits until nothing is waiting or being stored, at most {@code millis}; returns whether idle. */
    public synchronized boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!idle() && System.currentTimeMillis() < deadline) {
            wait(Math.max(1, deadline - System.currentTimeMillis()));
        }
        return idle();
    }

    /** The last failure while storing or announcing (or why publication stopped), null when the last attempt worked. */
    public String problem() {
        return fenced != null ? fenced : problem;
    }

    /** Why this publisher stopped for good (another writer holds the student), or null. */
    public String fenced() {
        return fenced;
    }

    public synchronized long lastVersion() {
        return lastVersion;
    }

    private void run() {
        while (!closed) {
            CheckpointSnapshot next;
            synchronized (this) {
                while (waiting == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                next = waiting;
                waiting = null;
                busy = true;
            }
            try {
                publish(next);
            } catch (InterruptedException e) {
                return;
            } finally {
                synchronized (this) {
                    busy = false;
                    notifyAll();
                }
            }
        }
    }

    private void publish(CheckpointSnapshot snapshot) throws InterruptedException {
        String student = snapshot.draft().student();
        if (fenced != null || otherWriterHolds(student)) {
            LOG.log(Level.SEVERE, "not publishing " + student + ": " + fenced);
            return;
        }
        long version;
        synchronized (this) {
            version = lastVersion + 1;
        }
        version = freeVersion(student, version);
        if (version < 0) {
            return;
        }
        CheckpointManifest draft = snapshot.draft().withVersion(version);
        CheckpointManifest stored = retry("store " + draft.student() + " v" + version,
                () -> store.put(draft, snapshot.onnx(), snapshot.state()));
        synchronized (this) {
            lastVersion = version;
        }
        retry("announce " + draft.student() + " v" + version, () -> {
            announcer.announce(stored);
            return null;
        });
        synchronized (this) {
            lastAnnounced = version;
        }
        onPublished.accept(new StoredCheckpoint(stored, snapshot.offsets()));
        try {
            retain(draft.student());
        } catch (RuntimeException e) { // retention is tidying up: the next checkpoint tries again
            LOG.log(Level.WARNING, "could not delete old versions of " + draft.student() + ": " + e.getMessage());
        }
    }

    /** Whether another trainer holds the student's writer lease; if so, this publisher stops for good. */
    private boolean otherWriterHolds(String student) throws InterruptedException {
        Optional<String> other = retry("check the writer lease of " + student, writerCheck::otherWriter);
        if (other.isEmpty()) {
            return false;
        }
        fenced = "another trainer (" + other.get() + ") holds the writer lease of " + student + ": this trainer"
                + " stops publishing, so that two writers never interleave versions. Stop one of them (or give one"
                + " another sfd.trainer.student-name) and restart this one: it resumes from the newest checkpoint";
        return true;
    }

    /**
     * {@code from}, or the first version after it whose prefix holds no object: what is there (a
     * killed upload, or another writer's) is never written over. Negative when another writer took
     * the lease meanwhile.
     */
    private long freeVersion(String student, long from) throws InterruptedException {
        long version = from;
        while (true) {
            long v = version;
            List<String> there = retry("look under " + CheckpointStore.prefix(student, v),
                    () -> store.objects(student, v));
            if (there.isEmpty()) {
                return version;
            }
            if (otherWriterHolds(student)) {
                LOG.log(Level.SEVERE, "not publishing " + student + " v" + version + " (" + there.size()
                        + " object(s) already there): " + fenced);
                return -1;
            }
            LOG.log(Level.WARNING, CheckpointStore.prefix(student, version) + " already holds " + there.size()
                    + " object(s) " + there + (there.stream().anyMatch(k -> k.endsWith("/"
                    + CheckpointStore.MANIFEST_OBJECT)) ? "" : " without a manifest (a killed upload leaves such)")
                    + ": left as they are; storing this checkpoint as v" + (version + 1) + " instead");
            version++;
        }
    }

    /** Deletes all but the newest {@code keep} versions, never the last announced one. */
    private void retain(String student) {
        List<Long> versions = new ArrayList<>(store.versions(student));
        long protect;
        synchronized (this) {
            protect = lastAnnounced;
        }
        int excess = versions.size() - keep;
        for (int i = 0; i < versions.size() && excess > 0; i++) {
            long v = versions.get(i);
            if (v != protect) {
                store.delete(student, v);
                excess--;
            }
        }
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws Exception;
    }

    private <T> T retry(String what, Attempt<T> attempt) throws InterruptedException {
        for (int i = 1; ; i++) {
            try {
                T out = attempt.run();
                problem = null;
                return out;
            } catch (Exception e) {
                if (closed) {
                    throw new InterruptedException("publisher closed while trying to " + what);
                }
                problem = "cannot " + what + " (attempt " + i + "): " + e.getMessage();
                long ms = backoff.delay(i).toMillis();
                LOG.log(Level.WARNING, problem + "; retrying in " + ms + " ms (training goes on)");
                Thread.sleep(ms);
            }
        }
    }

    /** Stops the thread; a snapshot still waiting or in flight is not published. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
