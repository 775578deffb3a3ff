package dev.sfd.sampler;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last reload attempts (ok, refused, failed) with their reasons, newest last: what the
 * playground page shows under "live model". Fed by the live model's listener; thread-safe.
 */
public final class ReloadLog {

    /** One reload attempt. */
    public record Entry(long version, String result, String reason, Instant at) {
    }

    private final int keep;
    private final Clock clock;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long changes;

    public ReloadLog(int keep, Clock clock) {
        this.keep = keep;
        this.clock = clock;
    }

    public void ok(long version, long loadMillis) {
        add(new Entry(version, "ok", "loaded and warmed up in " + loadMillis + " ms", clock.instant()));
    }

    public void refused(long version, String reason) {
        add(new Entry(version, "refused", reason, clock.instant()));
    }

    public void failed(long version, String reason) {
        add(new Entry(version, "failed", reason, clock.instant()));
    }

    private synchronized void add(Entry e) {
        entries.addLast(e);
        while (entries.size() > keep) {
            entries.removeFirst();
        }
        changes++;
    }

    /** The kept entries, oldest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** Grows with every entry (lets a watcher tell that something happened). */
    public synchronized long changes() {
        return changes;
    }
}
