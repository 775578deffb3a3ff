package dev.sfd.pipeline.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 7: after a {@code kill -9} the restarted trainer waited about 36 s, silently, for
 * the old writer lease. Now it says whom it waits for and how long, takes the lease at once when the
 * old holder is provably gone (same machine, its pid dead or another process), and otherwise waits
 * only until the lease is stale. The lease lives on the local stack's real S3 server; the waiting
 * runs on a clock the test advances (so "waited 0 ms" is a fact, not a timing).
 */
@ExtendWith(LocalStackExtension.class)
class WriterLeaseTakeoverTest {

    private static final long TTL = 30_000;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            log.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Held here: the log manager keeps loggers only weakly, and a collected one loses its handler. */
    private final Logger leaseLog = Logger.getLogger(WriterLease.class.getName());

    @BeforeEach
    void captureLog() {
        leaseLog.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        leaseLog.removeHandler(capture);
    }

    @Test
    void aKilledHolderOnThisMachineIsTakenOverAtOnceWithTheReasonLogged(LocalStack stack) throws Exception {
        Process killed = new ProcessBuilder("sleep", "600").start();
        long started = killed.toHandle().info().startInstant().orElseThrow().toEpochMilli();
        killed.destroyForcibly(); // SIGKILL: it never gives its lease back
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
        LeaseHolder here = LeaseHolder.current();
        try (CheckpointStore store = store(stack)) {
            String student = "takeover-dead-" + System.nanoTime() % 1_000_000;
            writeLease(store, student, "killed-owner", here.host(), here.machineId(), killed.pid(), started,
                    clock.get() - 2_000);
            WriterLease.Acquired took = lease(store, student, "new-owner", here).acquire();
            assertEquals(0, took.waitedMillis(), "the old holder is provably gone: no wait");
            assertTrue(took.reason().contains("no process has pid " + killed.pid()), took.reason());
            assertTrue(log.stream().anyMatch(l -> l.contains("its holder is gone") && l.contains("killed-owner")),
                    log.toString());
            assertEquals("new-owner", new WriterLease(store, student, "x", "h", TTL, clock::get).read().get("owner"));
        }
    }

    @Test
    void aPidNowUsedByAnotherProcessIsTakenOverAtOnce(LocalStack stack) throws Exception {
        LeaseHolder here = LeaseHolder.current();
        try (CheckpointStore store = store(stack)) {
            String student = "takeover-pid1-" + System.nanoTime() % 1_000_000;
            // the holder had this very pid (pids are reused) but started an hour before this process
            writeLease(store, student, "old-owner", here.host(), here.machineId(), here.pid(),
                    here.startedMillis() - 3_600_000, clock.get() - 1_000);
            WriterLease.Acquired took = lease(store, student, "new-owner", here).acquire();
            assertEquals(0, took.waitedMillis());
            assertTrue(took.reason().contains("is now a process started at")
                    && took.reason().contains("(it is this process)"), took.reason());
        }
    }

    @Test
    void aHolderOnAnotherMachineIsWaitedForUntilItsLeaseIsStaleAndTheWaitIsLogged(LocalStack stack)
            throws Exception {
        try (CheckpointStore store = store(stack)) {
            String student = "takeover-remote-" + System.nanoTime() % 1_000_000;
            writeLease(store, student, "remote-owner", "another-host", "another-machine", 4242, 1, clock.get() - 10_000);
            WriterLease.Acquired took = lease(store, student, "new-owner", LeaseHolder.current()).acquire();
            assertTrue(took.waitedMillis() >= 20_000 && took.waitedMillis() < 20_000 + (TTL * 12 / 10) / 12 + 1,
                    "waited until the lease was " + TTL + " ms old (renewed 10 s before): " + took.waitedMillis());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("remote-owner")
                    && l.contains("another machine") && l.contains("Waiting up to 20.0 s")), log.toString());
            assertTrue(log.stream().anyMatch(l -> l.contains("taken after waiting " + took.waitedMillis() + " ms")),
                    log.toString());
        }
    }

    @Test
    void aHolderThatRenewsWhileWeWaitIsAliveAndThisTrainerRefusesLoudly(LocalStack stack) throws Exception {
        try (CheckpointStore store = store(stack)) {
            String student = "takeover-live-" + System.nanoTime() % 1_000_000;
            writeLease(store, student, "live-owner", "another-host", "another-machine", 4242, 1, clock.get());
            AtomicInteger looks = new AtomicInteger();
            WriterLease waiting = new WriterLease(store, student, "new-owner", LeaseHolder.current(), TTL, clock::get,
                    ms -> {
                        clock.addAndGet(ms);
                        if (looks.incrementAndGet() == 3) { // the other trainer renews, as a live one does
                            writeLease(store, student, "live-owner", "another-host", "another-machine", 4242, 1,
                                    clock.get());
                        }
                    });
            IllegalStateException refused = assertThrows(IllegalStateException.class, waiting::acquire);
            assertTrue(refused.getMessage().contains("live-owner") && refused.getMessage().contains("renewed its lease")
                    && refused.getMessage().contains("sfd.trainer.student-name"), refused.getMessage());
        }
    }

    private WriterLease lease(CheckpointStore store, String student, String owner, LeaseHolder self) {
        return new WriterLease(store, student, owner, self, TTL, clock::get, clock::addAndGet);
    }

    private static void writeLease(CheckpointStore store, String student, String owner, String host, String machineId,
                                   long pid, long startedAt, long renewedAt) {
        String body = "{\"owner\":\"" + owner + "\",\"host\":\"" + host + "\",\"machineId\":\"" + machineId + "\",\"pid\":"
                + pid + ",\"startedAt\":" + startedAt + ",\"renewedAt\":" + renewedAt + "}";
        store.putObject(CheckpointStore.studentPrefix(student) + "writer-lease.json",
                body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static CheckpointStore store(LocalStack stack) {
        var e = stack.endpoints();
        return new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(),
                null));
    }
}
