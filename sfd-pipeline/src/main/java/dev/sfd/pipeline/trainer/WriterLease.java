package dev.sfd.pipeline.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.store.CheckpointStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One writer per student name: a lease object {@code students/<name>/writer-lease.json} in the
 * checkpoint bucket, holding the owner (a random id per process), its host and the time it was
 * last renewed. A trainer {@link #acquire}s it before training: a lease renewed by another owner
 * within the last {@code ttlMillis} means another trainer is alive, and this one refuses to start
 * (after waiting one TTL to tell a live owner, whose renewals go on, from a crashed one, whose
 * lease goes stale). The holder renews it every TTL/3 and checks it before every publication
 * ({@link #stillMine}); losing it stops publication. S3 offers no compare-and-set, so two
 * trainers started within the same instant could both pass; the check before each publication
 * narrows what such a race can do to one version.
 */
public final class WriterLease {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CheckpointStore store;
    private final String key;
    private final String owner;
    private final String host;
    private final long ttlMillis;
    private final LongSupplier clock;

    public WriterLease(CheckpointStore store, String student, String owner, String host, long ttlMillis,
                       LongSupplier clockMillis) {
        this.store = store;
        this.key = dev.sfd.core.store.CheckpointStore.studentPrefix(student) + "writer-lease.json";
        this.owner = owner;
        this.host = host;
        this.ttlMillis = ttlMillis;
        this.clock = clockMillis;
    }

    public String key() {
        return key;
    }

    public String owner() {
        return owner;
    }

    /** The current lease: {owner, host, renewedAt}, or null when there is none. */
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
     * Takes the lease, waiting while another owner's lease may still be live.
     *
     * @throws IllegalStateException when another trainer keeps renewing it
     */
    public void acquire() throws InterruptedException {
        Map<String, Object> seen = read();
        if (seen != null && !owner.equals(seen.get("owner")) && fresh(seen)) {
            Thread.sleep(ttlMillis + ttlMillis / 5); // a crashed holder's lease goes stale, a live one is renewed
            Map<String, Object> again = read();
            if (again != null && !owner.equals(again.get("owner")) && fresh(again)) {
                throw new IllegalStateException("another trainer (owner " + again.get("owner") + " on "
                        + again.get("host") + ") is writing checkpoints of this student: its lease " + key
                        + " was renewed at " + again.get("renewedAt") + ". Two writers would interleave versions; "
                        + "stop the other trainer, or give this one another sfd.trainer.student-name");
            }
        }
        renew();
    }

    /** Writes the lease with the current time. */
    public void renew() {
        String body = "{\"owner\":\"" + owner + "\",\"host\":\"" + host + "\",\"renewedAt\":" + clock.getAsLong() + "}";
        store.putObject(key, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Whether the lease in the store is still ours. */
    public boolean stillMine() {
        Map<String, Object> m = read();
        return m == null || owner.equals(m.get("owner"));
    }

    private boolean fresh(Map<String, Object> lease) {
        Object at = lease.get("renewedAt");
        return at instanceof Number n && clock.getAsLong() - n.longValue() < ttlMillis;
    }
}
