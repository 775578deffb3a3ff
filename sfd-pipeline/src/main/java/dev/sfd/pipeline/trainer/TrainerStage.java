package dev.sfd.pipeline.trainer;

import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.TrainerState;
import dev.sfd.core.teachers.imports.text2image.PromptTable;
import dev.sfd.core.trajectory.RowSet;
import dev.sfd.core.trajectory.TrajectoryBlock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The student trainer's stage logic, without any transport: checked blocks in
 * ({@link BlockIntake.Item}), SFD updates through {@link SfdStudentTrainer}, checkpoints out.
 * Called from the training thread (and the adapter's ticker); methods are synchronized, and
 * nothing a metrics scrape reads is behind that lock ({@link TrainerStats}).
 *
 * <p>Per block: a refused one is finished at once (the adapter dead-lettered it whole, so nothing
 * of it stays pending); of an accepted one, every row already applied in this pass (or waiting in
 * the buffer) is a duplicate and dropped, the others go through the {@link ShuffleBuffer} (mixing
 * rows of many blocks and prompts) into batches that are stacked by bulk copy and trained with one
 * Adam step per student step.
 *
 * <p>Offsets: the {@link OffsetLedger} keeps every block record open until all its rows are
 * trained or dropped; a {@link CheckpointSnapshot} carries the ledger's committable offsets and the
 * trajectories applied in this pass as ranges ({@link RowSet}), so a resume re-reads exactly what
 * the checkpoint does not contain and drops what it does (each trajectory applied at most once per
 * checkpoint lineage and pass).
 *
 * <p>Replay passes: every accepted block is also appended to the local {@link BlockCache}; pass 2
 * on replays the cache ({@link #replayStep}) while the consumer keeps reading new records, so the
 * group's committed offsets stay at first-pass progress. A trainer resumed in pass p > 1 first
 * refills the cache by re-reading the topic below the checkpoint's offsets (without training
 * those records again: see {@link #refillBelow()}), then continues pass p from the cache.
 */
public final class TrainerStage implements AutoCloseable {

    private final SfdStudentTrainer trainer;
    private final SfdConfig config;
    private final TrainerSettings settings;
    private final TrajectoryExpectation expect;
    private final ShuffleBuffer buffer;
    private final OffsetLedger ledger = new OffsetLedger();
    private final TrainerStats stats = new TrainerStats();
    private final boolean conditional;
    /** Trajectories trained in this pass (saved with checkpoints as ranges). */
    private final RowSet applied = new RowSet();
    /** Trajectories in the shuffle buffer, not trained yet (not saved: re-read after a restart). */
    private final RowSet buffered = new RowSet();
    private final Map<Integer, double[]> lossSinceCheckpoint = new TreeMap<>();
    private BlockCache cache;
    private BlockCache.Reader replay;
    private Map<Integer, Long> resumeOffsets = Map.of();
    /** Partition → offset below which records only refill the cache (a resume in a replay pass); empty otherwise. */
    private final Map<Integer, Long> refill = new ConcurrentHashMap<>();
    private final Map<Integer, Long> refillNext = new TreeMap<>();
    private int pass = 1;
    private long stepsAtCheckpoint;
    private long checkpointNanos;

    public TrainerStage(SfdStudentTrainer trainer, TrajectoryExpectation expect, TrainerSettings settings, long now) {
        this.trainer = trainer;
        this.config = trainer.config();
        this.settings = settings;
        this.expect = expect;
        this.buffer = new ShuffleBuffer(config.batch(), settings.shuffleWindow(), settings.shuffleSeed());
        this.conditional = trainer.conditional();
        this.checkpointNanos = now;
    }

    /** A new intake for the consumer thread (stateless, never takes this stage's lock). */
    public BlockIntake newIntake() {
        return new BlockIntake(expect);
    }

    /**
     * Takes checked records, in their partitions' order. The caller must have delivered the refused
     * ones to the dead-letter topic (acknowledged) before handing them here: their offsets count as
     * finished. Returns the number of batches trained.
     */
    public synchronized int accept(List<BlockIntake.Item> items) {
        int batches = 0;
        for (BlockIntake.Item item : items) {
            RecordPosition pos = item.position();
            if (refilling(pos)) {
                if (item instanceof BlockIntake.Accepted a) {
                    cache().append(a.value());
                }
                refillNext.put(pos.partition(), pos.offset() + 1);
                continue;
            }
            ledger.received(pos);
            stats.blocks.incrementAndGet();
            if (item instanceof BlockIntake.Refused r) {
                stats.deadLetter(r.rejection().code());
                ledger.done(pos);
            } else if (item instanceof BlockIntake.Accepted a) {
                if (settings.replayPasses() > 1) {
                    cache().append(a.value());
                }
                stats.trajectories.addAndGet(a.block().rows());
                batches += offerRows(a.block(), new BlockHold(pos, 0), order(pos));
            }
        }
        finishRefillIfDone();
        updateGauges();
        return batches;
    }

    private static long order(RecordPosition pos) {
        return ((long) pos.partition() << 48) | pos.offset();
    }

    private boolean refilling(RecordPosition pos) {
        Long below = refill.get(pos.partition());
        return below != null && pos.offset() < below;
    }

    /** Offers a block's rows; {@code hold} is released once all offered rows are trained. */
    private int offerRows(TrajectoryBlock b, BlockHold hold, long order) {
        if (budgetReached()) {
            return 0; // beyond the budget: left open, so not committed (a longer run re-reads it)
        }
        int batches = 0;
        hold.open++; // held while offering: a batch drawn mid-block must not finish the record early
        for (int r = 0; r < b.rows(); r++) {
            String prompt = b.promptId();
            int index = b.sampleIndex()[r];
            long seed = b.seed()[r];
            if (applied.contains(prompt, index, seed) || !buffered.add(prompt, index, seed)) {
                stats.duplicates.incrementAndGet();
                continue;
            }
            hold.open++;
            batches += buffer.add(new TrainingRow(b, r, hold, order)).map(this::train).orElse(0);
        }
        if (--hold.open == 0 && hold.position != null) {
            ledger.done(hold.position); // every row trained or dropped already
        }
        return batches;
    }

    private int train(List<TrainingRow> rows) {
        if (budgetReached()) {
            for (TrainingRow r : rows) {
                buffered.remove(r.promptId(), r.sampleIndex(), r.seed()); // left open: not committed
            }
            return 0;
        }
        TrajectoryBatcher.Stacked s = TrajectoryBatcher.stack(rows);
        long before = trainer.optimizerSteps();
        double loss = trainer.train(s.trajectory(), !conditional ? null
                : expect.prompts() != null ? promptIndices(rows, expect.prompts()) : s.labels());
        int n = s.trajectory().steps();
        double[] acc = lossSinceCheckpoint.computeIfAbsent(n, k -> new double[2]);
        acc[0] += loss;
        acc[1]++;
        stats.lossPerN.put(n, loss);
        stats.optimizerSteps.addAndGet(trainer.optimizerSteps() - before);
        stats.trained.addAndGet(rows.size());
        for (TrainingRow r : rows) {
            buffered.remove(r.promptId(), r.sampleIndex(), r.seed());
            applied.add(r.promptId(), r.sampleIndex(), r.seed());
            BlockHold h = r.hold();
            if (--h.open == 0 && h.position != null) {
                ledger.done(h.position);
            }
        }
        return 1;
    }

    /** Each row's prompt as an index of {@code table} (a text-to-image trainer's "labels"). */
    private static long[] promptIndices(List<TrainingRow> rows, PromptTable table) {
        long[] out = new long[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = table.index(rows.get(i).block().prompt());
        }
        return out;
    }

    /** Whether the training budget (trajectories, {@code sfd.trainer.budget}) is used up. */
    public synchronized boolean budgetReached() {
        return trainer.trajectoriesSeen() >= config.budget();
    }

    /** A checkpoint if one is due by the policy, else null. */
    public synchronized CheckpointSnapshot checkpointIfDue(long now) {
        long steps = trainer.optimizerSteps() - stepsAtCheckpoint;
        if (!settings.checkpoints().due(steps, now - checkpointNanos)) {
            return null;
        }
        return snapshot(now);
    }

    /** Whether anything was trained since the last checkpoint. */
    public synchronized boolean trainedSinceCheckpoint() {
        return trainer.optimizerSteps() > stepsAtCheckpoint;
    }

    /**
     * A checkpoint of the state now if anything was trained since the last one, else null: the check
     * and the snapshot under one lock, so the training thread (budget used up) and the consumer's
     * ticker (end of input) cannot both take one of the same step.
     */
    public synchronized CheckpointSnapshot snapshotIfTrained(long now) {
        return trainedSinceCheckpoint() ? snapshot(now) : null;
    }

    /** A checkpoint of the state now: student ONNX, trainer state, manifest draft with offsets. */
    public synchronized CheckpointSnapshot snapshot(long now) {
        DistillationResult result = trainer.result(0, 0);
        byte[] onnx = result.student().toBytes();
        SfdStudentTrainer.State st = trainer.state();
        byte[] state = new TrainerState(pass, st.seen(), st.optimizerSteps(), st.firstLoss(), st.lateLoss(), st.adam(),
                buffer.randomState(), applied.toRanges()).toBytes();
        Map<Integer, Long> offsets = refill.isEmpty() ? ledger.committable() : new TreeMap<>(resumeOffsets);
        Map<String, Long> offsetText = new TreeMap<>();
        offsets.forEach((p, o) -> offsetText.put(Integer.toString(p), o));
        Map<String, Double> lossPerN = new TreeMap<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        lossSinceCheckpoint.forEach((n, acc) -> {
            lossPerN.put(Integer.toString(n), acc[0] / acc[1]);
            metrics.put("loss.N" + n, acc[0] / acc[1]);
        });
        metrics.put("first_loss", Double.isNaN(st.firstLoss()) ? -1 : st.firstLoss());
        var sched = config.schedule();
        CheckpointManifest draft = new CheckpointManifest(CheckpointManifest.SCHEMA_VERSION, settings.student(), 1,
                null, CheckpointStore.sha256(onnx), onnx.length, st.optimizerSteps(), config.stepCounts(),
                sched.kind() + "(t_min=" + sched.tMin() + ", t_max=" + sched.tMax() + ", rho=" + sched.rho() + ")",
                expect.teacherLabel(), metrics, Instant.now().toString(), null, CheckpointStore.sha256(state),
                (long) state.length, st.seen(), lossPerN, settings.topic(), offsetText, pass, settings.codeVersion());
        lossSinceCheckpoint.clear();
        stepsAtCheckpoint = st.optimizerSteps();
        checkpointNanos = now;
        return new CheckpointSnapshot(onnx, state, draft, offsets);
    }

    /**
     * Continues from a stored checkpoint: weights from its {@code student.onnx}, Adam moments, step
     * and schedule position, shuffle random state, pass and applied ranges from its trainer state,
     * and its offsets as the place to read from. In a replay pass (p > 1) the cache is refilled
     * first from the records below those offsets.
     */
    public synchronized void restore(CheckpointManifest manifest, byte[] onnx, TrainerState state, long now) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        OnnxModel.parse(manifest.objectKey(), onnx).parameters().forEach((k, v) -> weights.put(k, Tensors.toFloats(v)));
        trainer.restore(weights, new SfdStudentTrainer.State(state.seen(), state.optimizerSteps(), state.firstLoss(),
                state.lateLoss(), state.adam()));
        buffer.restoreRandom(state.shuffleRng());
        pass = state.pass();
        applied.clear();
        applied.addAll(RowSet.fromRanges(state.appliedRanges()));
        resumeOffsets = manifest.partitionOffsets();
        ledger.clear();
        resumeOffsets.forEach(ledger::start);
        refill.clear();
        refillNext.clear();
        if (pass > 1) {
            resumeOffsets.forEach((p, o) -> {
                if (o > 0) {
                    refill.put(p, o);
                }
            });
            finishRefillIfDone();
        }
        stepsAtCheckpoint = state.optimizerSteps();
        checkpointNanos = now;
        stats.pass.set(pass);
        stats.lastVersion.set(manifest.version());
    }

    /**
     * Partition → offset below which records of a resumed replay pass only refill the local cache
     * (they were trained in pass 1 and are not dead-lettered again). Empty when not refilling. Safe to
     * read from the consumer thread without the lock.
     */
    public Map<Integer, Long> refillBelow() {
        return refill;
    }

    private void finishRefillIfDone() {
        if (refill.isEmpty()) {
            return;
        }
        for (var e : refill.entrySet()) {
            if (refillNext.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return;
            }
        }
        refill.clear();
        replay = cache().reader(); // pass p continues from the cache
    }

    /**
     * Where to read each of {@code partitions} from: while refilling, the next record to refill;
     * else past what this process already received, else the resumed checkpoint's offset, else
     * absent (from the beginning of the topic).
     */
    public synchronized Map<Integer, Long> seekPositions(Collection<Integer> partitions) {
        Map<Integer, Long> out = new TreeMap<>();
        for (int p : partitions) {
            long next = ledger.nextToRead(p);
            if (refill.containsKey(p)) {
                out.put(p, refillNext.getOrDefault(p, 0L));
            } else if (next >= 0) {
                out.put(p, next);
            } else if (resumeOffsets.containsKey(p)) {
                out.put(p, resumeOffsets.get(p));
            }
        }
        return out;
    }

    /**
     * Whether the topic is read: each partition read up to {@code endOffsets}, no refill going on and
     * no replay in progress.
     */
    public synchronized boolean passComplete(Map<Integer, Long> endOffsets) {
        if (!refill.isEmpty() || replay != null) {
            return false;
        }
        for (var e : endOffsets.entrySet()) {
            long next = Math.max(ledger.nextToRead(e.getKey()), resumeOffsets.getOrDefault(e.getKey(), 0L));
            if (next < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Ends the pass: trains what the shuffle buffer still holds, forgets the pass's applied
     * trajectories and starts replaying the local block cache. Offsets and the consumer are not
     * touched. Returns the new pass number.
     */
    public synchronized int startNextPass() {
        for (List<TrainingRow> batch : buffer.drain()) {
            train(batch);
        }
        pass++;
        stats.pass.set(pass);
        applied.clear();
        buffered.clear();
        replay = cache().reader();
        updateGauges();
        return pass;
    }

    /** Whether a replay pass is reading the cache. */
    public synchronized boolean replaying() {
        return replay != null;
    }

    /**
     * Trains up to {@code maxBlocks} blocks of the replay in progress (call from the training
     * thread when no new record waits); returns the batches trained. The replay ends at the end of
     * the cache.
     */
    public synchronized int replayStep(int maxBlocks) {
        if (replay == null) {
            return 0;
        }
        int batches = 0;
        for (int i = 0; i < maxBlocks && !budgetReached(); i++) {
            long at = replay.position();
            TrajectoryBlock b = replay.next();
            if (b == null) {
                replay.close();
                replay = null;
                break;
            }
            batches += offerRows(b, new BlockHold(null, 0), (1L << 62) | at);
        }
        if (budgetReached() && replay != null) {
            replay.close();
            replay = null;
        }
        updateGauges();
        return batches;
    }

    /** Trains what the shuffle buffer holds now (end of the input), as far as the budget allows. */
    public synchronized int drain() {
        int batches = 0;
        for (List<TrainingRow> batch : buffer.drain()) {
            batches += train(batch);
        }
        updateGauges();
        return batches;
    }

    private BlockCache cache() {
        if (cache == null) {
            cache = new BlockCache(settings.replayCacheDir());
        }
        return cache;
    }

    private void updateGauges() {
        stats.buffered.set(buffer.size());
        if (cache != null) {
            stats.cachedBlocks.set(cache.blocks());
            stats.cachedBytes.set(cache.bytes());
        }
    }

    public synchronized int pass() {
        return pass;
    }

    public TrainerStats stats() {
        return stats;
    }

    /** Trajectory ids applied in this pass (expanded from the ranges; for tests). */
    public synchronized List<String> appliedIds() {
        return applied.trajectoryIds();
    }

    /** Rows in the shuffle buffer (lock-free: from the stats). */
    public int bufferedTrajectories() {
        return (int) stats.buffered.get();
    }

    public synchronized Map<Integer, Long> committable() {
        return ledger.committable();
    }

    public SfdStudentTrainer trainer() {
        return trainer;
    }

    public TrainerSettings settings() {
        return settings;
    }

    @Override
    public synchronized void close() {
        if (replay != null) {
            replay.close();
        }
        if (cache != null) {
            cache.close();
        }
    }
}
