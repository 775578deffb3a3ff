package dev.sfd.pipeline.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.store.CheckpointStore;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One writer per student name: a lease object {@code students/<name>/writer-lease.json} in the
 * checkpoint bucket, holding the owner (a random id per process), the holder process (host, boot
 * id and pid namespace, pid, start time: {@link LeaseHolder}) and the time it was last renewed. A trainer
 * {@link #acquire}s it before training:
 * <ul>
 * <li>no lease, our own, or one not renewed within {@code ttlMillis}: taken at once;</li>
 * <li>a fresh lease whose holder is provably gone (same host, kernel and pid namespace, and its pid
 *     is no longer running or is now another process, as after a {@code kill -9}): taken at once,
 *     with a log line saying why;</li>
 * <li>otherwise (a holder on another machine or in another container, which cannot be checked from
 *     here): it logs that it
 *     waits, for whom and at most how long, and watches the lease. A renewal by the other owner means
 *     another trainer is alive: refused, loudly. No renewal while the lease goes stale (at most
 *     {@code ttlMillis} after its last renewal, and never more than 1.2 TTL of watching): taken.</li>
 * </ul>
 * The holder renews it every TTL/3 and checks it before every publication ({@link #otherWriter});
 * losing it stops publication. S3 offers no compare-and-set, so two trainers started within the
 * same instant could both pass; the check before each publication narrows what such a race can do.
 */
public final class WriterLease {

    private static final Logger LOG = Logger.getLogger(WriterLease.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Watching a lease lasts 1.2 TTL at most, in this many looks. */
    private static final int LOOKS = 12;

    /** How {@link #acquire} waits (real time in the service; a test may advance a clock instead). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** How the lease was taken: how long this trainer waited for it and why. */
    public record Acquired(long waitedMillis, String reason) {
    }

    private final CheckpointStore store;
    private final String key;
    private final String owner;
    private final LeaseHolder self;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final Sleeper sleeper;

    public WriterLease(CheckpointStore store, String student, String owner, LeaseHolder self, long ttlMillis,
                       LongSupplier clockMillis, Sleeper sleeper) {
        this.store = store;
        this.key = CheckpointStore.studentPrefix(student) + "writer-lease.json";
        this.owner = owner;
        this.self = self;
        this.ttlMillis = ttlMillis;
        this.clock = clockMillis;
        this.sleeper = sleeper;
    }

    /** A holder known by a host label only, waiting in real time. */
    public WriterLease(CheckpointStore store, String student, String owner, String host, long ttlMillis,
                       LongSupplier clockMillis) {
        this(store, student, owner, LeaseHolder.named(host), ttlMillis, clockMillis, Thread::sleep);
    }

    public String key() {
        return key;
    }

    public String owner() {
        return owner;
    }

    /** The current lease: {owner, host, machineId, pid, startedAt, renewedAt}, or null when there is none. */
    public Map<String, Object> read() {
        if (!store.exists(key)) {
            return null;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(new String(store.getObject(key), StandardCharsets.UTF_8), Map.class);
            return m;
        } catch (Exception e) {
            return null; // unreadable lease: treated as none
        }
    }

    /**
     * Takes the lease, waiting while another owner's lease may still be live (see the class comment).
     *
     * @throws IllegalStateException when another trainer keeps renewing it
     */
    public Acquired acquire() throws InterruptedException {
        Map<String, Object> seen = read();
        if (seen == null || owner.equals(seen.get("owner")) || !fresh(seen)) {
            renew();
            return new Acquired(0, seen == null ? "no lease" : owner.equals(seen.get("owner")) ? "our own lease"
                    : "the lease of " + describe(seen) + " was stale");
        }
        LeaseHolder holder = holderOf(seen);
        Optional<String> gone = LeaseHolder.goneReason(holder, self);
        if (gone.isPresent()) {
            String reason = "the lease of " + describe(seen) + " is fresh, but its holder is gone: " + gone.get();
            LOG.info("writer lease " + key + ": " + reason + "; taking it without waiting");
            renew();
            return new Acquired(0, reason);
        }
        long renewedAt = renewedAt(seen);
        long staleIn = Math.max(0, renewedAt + ttlMillis - clock.getAsLong());
        long most = Math.min(staleIn, ttlMillis + ttlMillis / 5);
        LOG.log(Level.WARNING, "writer lease " + key + " is held by " + describe(seen) + ", renewed "
                + (clock.getAsLong() - renewedAt) + " ms ago; " + (self.sameMachine(holder)
                ? "its process is still running on this machine" : "it is on another machine (" + holder.label()
                + "), whose process cannot be checked from here") + ". Waiting up to " + (most / 1000.0)
                + " s (until it is " + (ttlMillis / 1000.0) + " s old, sfd.trainer.lease-ttl): a live trainer renews"
                + " it every " + (ttlMillis / 3000.0) + " s and this one then refuses to start; a crashed one"
                + " does not and this one takes over");
        long waited = 0;
        long look = Math.max(1, (ttlMillis + ttlMillis / 5) / LOOKS);
        for (int i = 0; i < LOOKS; i++) {
            sleeper.sleep(look);
            waited += look;
            Map<String, Object> again = read();
            if (again == null || owner.equals(again.get("owner"))) {
                break;
            }
            if (!java.util.Objects.equals(again.get("owner"), seen.get("owner")) || renewedAt(again) != renewedAt) {
                throw new IllegalStateException("another trainer (" + describe(again) + ") is writing checkpoints"
                        + " of this student: it renewed its lease " + key + " while this one waited " + waited
                        + " ms. Two writers would interleave versions; stop the other trainer, or give this one"
                        + " another sfd.trainer.student-name");
            }
            if (!fresh(again)) {
                break;
            }
        }
        renew();
        String reason = "the lease of " + describe(seen) + " was not renewed for " + waited + " ms of watching";
        LOG.info("writer lease " + key + " taken after waiting " + waited + " ms: " + reason);
        return new Acquired(waited, reason);
    }

    /** Writes the lease with the current time. */
    public void renew() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("owner", owner);
        body.put("host", self.host());
        body.put("machineId", self.machineId());
        body.put("pid", self.pid());
        body.put("startedAt", self.startedMillis());
        body.put("renewedAt", clock.getAsLong());
        try {
            store.putObject(key, JSON.writeValueAsBytes(body), "application/json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the writer lease " + key, e);
        }
    }

    /** Whether the lease in the store is still ours. */
    public boolean stillMine() {
        return otherWriter().isEmpty();
    }

    /** The other trainer the lease in the store names, or empty when it is ours (or there is none). */
    public Optional<String> otherWriter() {
        Map<String, Object> m = read();
        return m == null || owner.equals(m.get("owner")) ? Optional.empty() : Optional.of(describe(m));
    }

    private boolean fresh(Map<String, Object> lease) {
        return clock.getAsLong() - renewedAt(lease) < ttlMillis;
    }

    private static long renewedAt(Map<String, Object> lease) {
        return lease.get("renewedAt") instanceof Number n ? n.longValue() : Long.MIN_VALUE / 2;
    }

    /** The holder a lease names; a lease of an older trainer has only {@code host} as "name/pid". */
    private static LeaseHolder holderOf(Map<String, Object> lease) {
        String host = String.valueOf(lease.getOrDefault("host", ""));
        long pid = lease.get("pid") instanceof Number n ? n.longValue() : -1;
        long started = lease.get("startedAt") instanceof Number n ? n.longValue() : 0;
        return new LeaseHolder(host, String.valueOf(lease.getOrDefault("machineId", "")), pid, started);
    }

    private static String describe(Map<String, Object> lease) {
        return "owner " + lease.get("owner") + " on " + holderOf(lease).label();
    }
}
