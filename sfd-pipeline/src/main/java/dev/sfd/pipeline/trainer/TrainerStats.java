package dev.sfd.pipeline.trainer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the stage keeps and the adapter exports as metrics; safe to read from any thread, and
 * never behind the training lock (a metrics scrape does not wait for a training step).
 */
public final class TrainerStats {

    /** Block records received (refused ones included). */
    public final AtomicLong blocks = new AtomicLong();
    /** Trajectories in accepted blocks, first pass (replays not counted). */
    public final AtomicLong trajectories = new AtomicLong();
    public final AtomicLong trained = new AtomicLong();
    public final AtomicLong optimizerSteps = new AtomicLong();
    public final AtomicLong duplicates = new AtomicLong();
    public final AtomicLong deadLetters = new AtomicLong();
    public final AtomicLong checkpoints = new AtomicLong();
    public final AtomicLong lastVersion = new AtomicLong();
    public final AtomicLong lastCheckpointEpochMillis = new AtomicLong();
    public final AtomicLong pass = new AtomicLong(1);
    /** Rows in the shuffle buffer now. */
    public final AtomicLong buffered = new AtomicLong();
    /** Blocks in the local replay cache, and their bytes. */
    public final AtomicLong cachedBlocks = new AtomicLong();
    public final AtomicLong cachedBytes = new AtomicLong();
    /** Last batch loss per N. */
    public final Map<Integer, Double> lossPerN = new ConcurrentHashMap<>();
    /** Dead letters per reason code. */
    public final Map<String, AtomicLong> deadLettersByCode = new ConcurrentHashMap<>();

    void deadLetter(String code) {
        deadLetters.incrementAndGet();
        deadLettersByCode.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
    }
}
