package dev.sfd.pipeline.trainer;

import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.TrainerState;
import dev.sfd.core.trajectory.Trajectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The student trainer's stage logic, without any transport: records in, SFD updates through
 * {@link SfdStudentTrainer}, checkpoints out.
 *
 * <p>Per record: validate and reassemble ({@link TrajectoryIntake}); refused records come back
 * as {@link Rejection}s for the dead-letter topic; a completed trajectory whose id was already
 * applied in this pass (or is waiting in the buffer) is a duplicate and dropped; the others go
 * through the {@link ShuffleBuffer} into batches, each trained with one Adam step per student step.
 *
 * <p>Offsets: the {@link OffsetLedger} keeps every record open until it is trained, dropped,
 * given up or refused; a {@link CheckpointSnapshot} carries the ledger's committable offsets and
 * the ids of the trajectories applied in this pass, so a resume re-reads exactly what the
 * checkpoint does not contain and drops what it does (each trajectory applied at most once per
 * checkpoint lineage and pass). Methods are synchronized: the adapter's consumer thread asks for
 * seek positions while its worker thread trains.
 */
public final class TrainerStage {

    private final SfdStudentTrainer trainer;
    private final SfdConfig config;
    private final TrainerSettings settings;
    private final TrajectoryExpectation expect;
    private final TrajectoryIntake intake;
    private final ShuffleBuffer buffer;
    private final OffsetLedger ledger = new OffsetLedger();
    private final TrainerStats stats = new TrainerStats();
    private final boolean conditional;
    /** Ids trained in this pass, in order (saved with checkpoints). */
    private final LinkedHashSet<String> applied = new LinkedHashSet<>();
    /** Ids in the shuffle buffer, not trained yet (not saved: re-read after a restart). */
    private final Set<String> buffered = new HashSet<>();
    private final Map<Integer, double[]> lossSinceCheckpoint = new TreeMap<>();
    private final List<String> givenUpLog = new ArrayList<>();
    private Map<Integer, Long> resumeOffsets = Map.of();
    private int pass = 1;
    private long stepsAtCheckpoint;
    private long checkpointNanos;

    public TrainerStage(SfdStudentTrainer trainer, TrajectoryExpectation expect, TrainerSettings settings, long now) {
        this.trainer = trainer;
        this.config = trainer.config();
        this.settings = settings;
        this.expect = expect;
        this.intake = new TrajectoryIntake(new SegmentValidator(expect), settings.maxPending(),
                settings.assemblyTimeout().toNanos(), settings.rememberIds());
        this.buffer = new ShuffleBuffer(config.batch(), settings.shuffleWindow(), settings.shuffleSeed());
        this.conditional = trainer.conditional();
        this.checkpointNanos = now;
    }

    /** What one call to {@link #accept} produced. */
    public record Intake(List<Rejection> rejections, List<TrajectoryIntake.GivenUp> givenUp, int batchesTrained) {
    }

    /**
     * Takes a batch of records. The caller must deliver the returned rejections to the dead-letter
     * topic before it publishes the next checkpoint (their offsets count as finished).
     */
    public synchronized Intake accept(List<SegmentRecord> records, long now) {
        List<Rejection> rejections = new ArrayList<>();
        int batches = 0;
        for (SegmentRecord r : records) {
            ledger.received(r.position());
            stats.segments.incrementAndGet();
            TrajectoryIntake.Outcome outcome = intake.offer(r, now);
            if (outcome instanceof TrajectoryIntake.Rejected rej) {
                rejections.add(rej.rejection());
                stats.deadLetter(rej.rejection().code());
                ledger.done(r.position());
            } else if (outcome instanceof TrajectoryIntake.Duplicate dup) {
                if (!dup.held()) {
                    ledger.done(r.position());
                    if (dup.segmentIndex() == 0) { // a whole trajectory sent again: count it once
                        stats.duplicates.incrementAndGet();
                    }
                }
            } else if (outcome instanceof TrajectoryIntake.Completed done) {
                batches += onTrajectory(done.trajectory(), done.positions());
            }
        }
        List<TrajectoryIntake.GivenUp> givenUp = expireIncomplete(now);
        return new Intake(rejections, givenUp, batches);
    }

    /** Gives up trajectories that stayed incomplete too long (also called when no record arrives). */
    public synchronized List<TrajectoryIntake.GivenUp> expireIncomplete(long now) {
        List<TrajectoryIntake.GivenUp> givenUp = intake.expire(now);
        for (TrajectoryIntake.GivenUp g : givenUp) {
            ledger.doneAll(g.positions());
            stats.givenUp.incrementAndGet();
            givenUpLog.add(g.trajectoryId());
        }
        return givenUp;
    }

    private int onTrajectory(Trajectory t, List<RecordPosition> positions) {
        stats.trajectories.incrementAndGet();
        if (applied.contains(t.id()) || buffered.contains(t.id()) || budgetReached()) {
            if (!budgetReached()) {
                stats.duplicates.incrementAndGet();
                ledger.doneAll(positions);
            }
            return 0; // beyond the budget: left open, so not committed (a longer run re-reads it)
        }
        buffered.add(t.id());
        return buffer.add(new ShuffleBuffer.Item(t, positions)).map(this::train).orElse(0);
    }

    private int train(List<ShuffleBuffer.Item> items) {
        if (budgetReached()) {
            return 0;
        }
        TrajectoryBatcher.Stacked s = TrajectoryBatcher.stack(items.stream().map(ShuffleBuffer.Item::trajectory)
                .toList());
        long before = trainer.optimizerSteps();
        double loss = trainer.train(s.trajectory(), conditional ? s.labels() : null);
        int n = s.trajectory().steps();
        double[] acc = lossSinceCheckpoint.computeIfAbsent(n, k -> new double[2]);
        acc[0] += loss;
        acc[1]++;
        stats.lossPerN.put(n, loss);
        stats.optimizerSteps.addAndGet(trainer.optimizerSteps() - before);
        stats.trained.addAndGet(items.size());
        for (ShuffleBuffer.Item item : items) {
            buffered.remove(item.id());
            applied.add(item.id());
            ledger.doneAll(item.positions());
        }
        return 1;
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

    /** A checkpoint of the state now: student ONNX, trainer state, manifest draft with offsets. */
    public synchronized CheckpointSnapshot snapshot(long now) {
        DistillationResult result = trainer.result(0, 0);
        byte[] onnx = result.student().toBytes();
        SfdStudentTrainer.State st = trainer.state();
        byte[] state = new TrainerState(pass, st.seen(), st.optimizerSteps(), st.firstLoss(), st.lateLoss(), st.adam(),
                buffer.randomState(), new ArrayList<>(applied)).toBytes();
        Map<Integer, Long> offsets = ledger.committable();
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
     * and schedule position, shuffle random state, pass and applied ids from its trainer state,
     * and its offsets as the place to read from.
     */
    public synchronized void restore(CheckpointManifest manifest, byte[] onnx, TrainerState state, long now) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        OnnxModel.parse(manifest.objectKey(), onnx).parameters().forEach((k, v) -> weights.put(k, Tensors.toFloats(v)));
        trainer.restore(weights, new SfdStudentTrainer.State(state.seen(), state.optimizerSteps(), state.firstLoss(),
                state.lateLoss(), state.adam()));
        buffer.restoreRandom(state.shuffleRng());
        pass = state.pass();
        applied.clear();
        applied.addAll(state.appliedIds());
        resumeOffsets = manifest.partitionOffsets();
        ledger.clear();
        resumeOffsets.forEach(ledger::start);
        stepsAtCheckpoint = state.optimizerSteps();
        checkpointNanos = now;
        stats.pass.set(pass);
        stats.lastVersion.set(manifest.version());
    }

    /**
     * Where to read each of {@code partitions} from: past what this process already received, else
     * the resumed checkpoint's offset, else absent (from the beginning of the topic).
     */
    public synchronized Map<Integer, Long> seekPositions(Collection<Integer> partitions) {
        Map<Integer, Long> out = new TreeMap<>();
        for (int p : partitions) {
            long next = ledger.nextToRead(p);
            if (next >= 0) {
                out.put(p, next);
            } else if (resumeOffsets.containsKey(p)) {
                out.put(p, resumeOffsets.get(p));
            }
        }
        return out;
    }

    /**
     * Whether this pass has read everything: each partition read up to {@code endOffsets} and no
     * trajectory half assembled.
     */
    public synchronized boolean passComplete(Map<Integer, Long> endOffsets) {
        if (intake.pendingCount() > 0) {
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
     * Ends the pass: trains what the shuffle buffer still holds, then forgets the pass's ids and
     * offsets; the caller seeks every partition to the beginning. Returns the new pass number.
     */
    public synchronized int startNextPass(Collection<Integer> partitions) {
        for (List<ShuffleBuffer.Item> batch : buffer.drain()) {
            train(batch);
        }
        intake.clear("replay pass " + pass + " ended");
        pass++;
        stats.pass.set(pass);
        applied.clear();
        buffered.clear();
        ledger.clear();
        resumeOffsets = Map.of();
        partitions.forEach(p -> ledger.start(p, 0));
        return pass;
    }

    /** Trains what the shuffle buffer holds now (end of the input), as far as the budget allows. */
    public synchronized int drain() {
        int batches = 0;
        for (List<ShuffleBuffer.Item> batch : buffer.drain()) {
            if (budgetReached()) {
                for (ShuffleBuffer.Item item : batch) {
                    buffered.remove(item.id()); // left open: not committed
                }
                continue;
            }
            batches += train(batch);
        }
        return batches;
    }

    public synchronized int pass() {
        return pass;
    }

    public TrainerStats stats() {
        return stats;
    }

    public synchronized Set<String> appliedIds() {
        return new LinkedHashSet<>(applied);
    }

    public synchronized List<String> givenUpIds() {
        return List.copyOf(givenUpLog);
    }

    public synchronized int pendingTrajectories() {
        return intake.pendingCount();
    }

    public synchronized int bufferedTrajectories() {
        return buffer.size();
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
}
