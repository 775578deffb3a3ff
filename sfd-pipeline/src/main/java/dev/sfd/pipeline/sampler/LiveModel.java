package dev.sfd.pipeline.sampler;

import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The student being served, replaced without a pause: a new checkpoint is fetched, verified
 * (size, SHA-256, student contract), loaded and warmed up beside the current one, then swapped in
 * atomically; the old session closes only when its last in-flight request has finished (see
 * {@link LoadedModel}). A refused checkpoint leaves the current model serving and is remembered
 * with its reason by (version, sha256 of its manifest): the same file is not retried, but a later
 * checkpoint under the same version number that names other bytes is tried (and logged).
 *
 * <p>Which version serves: the newest complete checkpoint (a manifest in the store) that was not
 * refused, never going backwards on its own; unless pinned ({@link #pin}, {@link #rollback} or the
 * {@code pinned} setting), when exactly that version serves until {@link #unpin}.
 *
 * <p>Requests call {@link #acquire()} (lock-free); reloads and admin calls are serialised.
 */
public final class LiveModel implements AutoCloseable {

    /** How far below the newest version a refresh looks for one that can be served. */
    static final int MAX_PROBES = 16;
    private static final int HISTORY = 32;
    private static final int REFUSALS_KEPT = 32;

    private final CheckpointStore store;
    private final String student;
    private final CheckpointLoader loader;
    private final LiveModelListener listener;
    private final Clock clock;
    private final TextPipeline text;
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final Deque<Long> history = new ArrayDeque<>();
    /** Refused checkpoints by "version/sha256" (what was refused is that file, not the number). */
    private final Map<String, Refusal> refused = new LinkedHashMap<>();
    private volatile Long pinned;
    private boolean closed;

    /**
     * @param store       where checkpoints are
     * @param student     the student name served ({@code students/<name>/…})
     * @param session     execution provider and threads of the sessions
     * @param warmupBatch the largest batch (warm-up runs at 1 and at this size)
     */
    public LiveModel(CheckpointStore store, String student, SessionConfig session, int warmupBatch,
                     LiveModelListener listener, Clock clock) {
        this(store, student, session, warmupBatch, listener, clock, null);
    }

    /**
     * @param text the text-to-image pipeline text students are served with (loaded once, shared by every
     *             version), or null: a text student is then refused
     */
    public LiveModel(CheckpointStore store, String student, SessionConfig session, int warmupBatch,
                     LiveModelListener listener, Clock clock, TextPipeline text) {
        this.store = store;
        this.student = student;
        this.loader = new CheckpointLoader(store, session, warmupBatch, clock, text);
        this.listener = listener;
        this.clock = clock;
        this.text = text;
    }

    /** The configured text-to-image pipeline, if any. */
    public Optional<TextPipeline> text() {
        return Optional.ofNullable(text);
    }

    public String student() {
        return student;
    }

    /** A hold on the serving model (close it when done), or UNAVAILABLE when none is loaded yet. */
    public ModelLease acquire() {
        while (true) {
            LoadedModel m = current.get();
            if (m == null) {
                throw new SamplerException(SamplerException.Kind.UNAVAILABLE, null, "no '" + student
                        + "' model is loaded yet (waiting for a complete checkpoint in the store); retry shortly");
            }
            if (m.tryAcquire()) {
                return new ModelLease(m);
            }
            // swapped out and closed between the read and the acquire: read the new one
        }
    }

    /** The serving model, if any (for information: use {@link #acquire()} to sample). */
    public Optional<LoadedModel> current() {
        return Optional.ofNullable(current.get());
    }

    public boolean ready() {
        return current.get() != null;
    }

    public OptionalLong pinned() {
        Long p = pinned;
        return p == null ? OptionalLong.empty() : OptionalLong.of(p);
    }

    /** Versions served, oldest first (what {@link #rollback()} walks back through). */
    public synchronized List<Long> history() {
        return new ArrayList<>(history);
    }

    /** Refused checkpoints, oldest first (the last {@value #REFUSALS_KEPT}). */
    public synchronized List<Refusal> refusals() {
        return new ArrayList<>(refused.values());
    }

    /**
     * Serves the newest complete checkpoint that is newer than the current one (start-up and
     * polling): tries the newest first, then older ones down to the current, skipping refused ones.
     */
    public synchronized ReloadOutcome refresh() {
        if (pinned != null) {
            return ReloadOutcome.unchanged(pinned, "pinned to v" + pinned);
        }
        Optional<Long> latest;
        try {
            latest = store.latestVersion(student);
        } catch (RuntimeException e) {
            listener.failed(0, e.getMessage());
            return ReloadOutcome.failed(0, e.getMessage());
        }
        if (latest.isEmpty()) {
            return ReloadOutcome.unchanged(0, "no checkpoint of '" + student + "' in the store yet");
        }
        long floor = Math.max(currentVersion(), latest.get() - MAX_PROBES);
        ReloadOutcome last = ReloadOutcome.unchanged(currentVersion(), "v" + currentVersion() + " is the newest");
        for (long v = latest.get(); v > floor; v--) {
            CheckpointManifest manifest;
            try {
                manifest = store.manifest(student, v);
            } catch (RuntimeException e) {
                continue; // a gap in the versions (never written, or removed): look further down
            }
            if (refusedAlready(manifest)) {
                continue;
            }
            last = swapTo(manifest, false);
            if (last.result() == ReloadOutcome.Result.LOADED || last.result() == ReloadOutcome.Result.FAILED) {
                return last;
            }
        }
        return last;
    }

    /**
     * A checkpoint event: serves that version if it is for this student, newer than the current
     * one and not pinned. The manifest is read again from the store (the store is the truth).
     */
    public synchronized ReloadOutcome offer(CheckpointManifest event) {
        if (!event.student().equals(student)) {
            return ReloadOutcome.unchanged(event.version(), "event for student '" + event.student() + "'");
        }
        if (pinned != null) {
            return ReloadOutcome.unchanged(event.version(), "pinned to v" + pinned);
        }
        if (event.version() <= currentVersion()) {
            return ReloadOutcome.unchanged(event.version(), "v" + event.version() + " is not newer than v"
                    + currentVersion());
        }
        CheckpointManifest manifest;
        try {
            manifest = store.manifest(student, event.version());
        } catch (RuntimeException e) {
            listener.failed(event.version(), e.getMessage());
            return ReloadOutcome.failed(event.version(), "cannot read the manifest of v" + event.version() + ": "
                    + e.getMessage());
        }
        if (refusedAlready(manifest)) {
            String why = "v" + event.version() + " (sha256 " + manifest.sha256() + ") was refused before: "
                    + refused.get(key(manifest)).reason() + "; not tried again (publish other bytes, or Pin it to retry)";
            listener.refusedBefore(event.version(), manifest.sha256(), false, why);
            return ReloadOutcome.unchanged(event.version(), why);
        }
        return swapTo(manifest, false);
    }

    /** Serves exactly {@code version} until {@link #unpin()}: NOT_FOUND or FAILED_PRECONDITION if it cannot. */
    public synchronized ReloadOutcome pin(long version) {
        if (version == currentVersion()) {
            pinned = version;
            return ReloadOutcome.unchanged(version, "already serving v" + version + "; now pinned");
        }
        CheckpointManifest manifest;
        try {
            manifest = store.manifest(student, version);
        } catch (RuntimeException e) {
            throw new SamplerException(SamplerException.Kind.NOT_FOUND, "version", "version: '" + student + "' v" + version
                    + " has no manifest in the store (" + e.getMessage() + "); pin an existing version");
        }
        refused.remove(key(manifest)); // an explicit pin tries again
        ReloadOutcome outcome = swapTo(manifest, false);
        if (outcome.result() != ReloadOutcome.Result.LOADED) {
            throw new SamplerException(SamplerException.Kind.FAILED_PRECONDITION, "version", "version: v" + version
                    + " cannot be served: " + outcome.reason() + "; v" + currentVersion() + " keeps serving");
        }
        pinned = version;
        return outcome;
    }

    /** Serves the version served before the current one again, pinned. */
    public synchronized ReloadOutcome rollback() {
        if (history.size() < 2) {
            throw new SamplerException(SamplerException.Kind.FAILED_PRECONDITION, null, "nothing to roll back to: "
                    + (history.isEmpty() ? "no version served yet" : "v" + history.peekLast() + " is the only one served"));
        }
        long now = history.removeLast();
        long previous = history.peekLast();
        CheckpointManifest manifest;
        ReloadOutcome outcome;
        try {
            manifest = store.manifest(student, previous);
            outcome = swapTo(manifest, true);
        } catch (RuntimeException e) {
            outcome = ReloadOutcome.failed(previous, e.getMessage());
        }
        if (outcome.result() != ReloadOutcome.Result.LOADED) {
            history.addLast(now);
            throw new SamplerException(SamplerException.Kind.FAILED_PRECONDITION, null, "cannot roll back to v" + previous
                    + ": " + outcome.reason() + "; v" + now + " keeps serving");
        }
        pinned = previous;
        return outcome;
    }

    /** Follows the newest checkpoint again (and loads it now if newer). */
    public synchronized ReloadOutcome unpin() {
        pinned = null;
        return refresh();
    }

    private static String key(CheckpointManifest m) {
        return m.version() + "/" + m.sha256();
    }

    /**
     * Whether exactly this file was refused before (then it is not tried again). A version refused
     * with other bytes is tried again; both cases are told to the listener (one log line each).
     */
    private boolean refusedAlready(CheckpointManifest manifest) {
        Refusal same = refused.get(key(manifest));
        if (same != null) {
            return true;
        }
        for (Refusal r : refused.values()) {
            if (r.version() == manifest.version()) {
                listener.refusedBefore(manifest.version(), manifest.sha256(), true, "v" + manifest.version()
                        + " was refused with sha256 " + r.sha256() + " (" + r.reason() + "); its manifest now names "
                        + manifest.sha256() + ": trying it");
                break;
            }
        }
        return false;
    }

    private long currentVersion() {
        LoadedModel m = current.get();
        return m == null ? 0 : m.version();
    }

    private ReloadOutcome swapTo(CheckpointManifest manifest, boolean rollingBack) {
        if (closed) {
            return ReloadOutcome.unchanged(manifest.version(), "the live model is closed");
        }
        long start = System.nanoTime();
        LoadedModel next;
        try {
            next = loader.load(manifest, student, current.get());
        } catch (CheckpointRefusedException e) {
            Refusal r = new Refusal(manifest.version(), manifest.sha256(), e.getMessage(), clock.instant());
            refused.put(key(manifest), r);
            while (refused.size() > REFUSALS_KEPT) {
                refused.remove(refused.keySet().iterator().next());
            }
            listener.refused(r);
            return ReloadOutcome.refused(manifest.version(), e.getMessage());
        } catch (RuntimeException e) {
            listener.failed(manifest.version(), e.getMessage());
            return ReloadOutcome.failed(manifest.version(), e.getMessage());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        LoadedModel old = current.getAndSet(next);
        if (!rollingBack) {
            history.remove(next.version());
            history.addLast(next.version());
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
        if (old != null) {
            old.release(); // closes now, or when its last in-flight request finishes
        }
        listener.loaded(next, took);
        return ReloadOutcome.loaded(next.version(), took);
    }

    @Override
    public synchronized void close() {
        closed = true;
        LoadedModel m = current.getAndSet(null);
        if (m != null) {
            m.release();
        }
    }
}
