package dev.sfd.cli.pipeline;

import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.trajectory.Trajectory;
import dev.sfd.stack.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The student side of the pipeline, in process (what student-trainer does): reads teacher
 * trajectories from {@code sfd.trajectories} as a consumer group, groups them by step count N in
 * a shuffle buffer, and hands random batches to {@link SfdStudentTrainer} — the same Algorithm 2
 * code the in-process distiller runs. The buffer matters: the topic delivers a prompt's
 * trajectories together, and batches of one prompt each train a worse student than mixed ones
 * (measured on mixture2d: class-conditional FD 0.014 without it). Corrupt segments are
 * dead-lettered by the reader.
 */
public final class TrainerStage implements AutoCloseable {

    /** What a run did. */
    public record Stats(long trajectories, int batches, double lastLoss, long deadLettered) {
    }

    private final TrajectoryReader reader;
    private final SfdStudentTrainer trainer;
    private final int batch;
    private final boolean conditional;
    private final int window;
    private final Random shuffle;
    private final Map<Integer, List<Trajectory>> pending = new TreeMap<>();

    /**
     * @param window trajectories of one N held before a random batch is drawn from them
     *               (≥ batch; e.g. 32 batches)
     * @param seed   seed of the shuffle, recorded by the caller
     */
    public TrainerStage(String bootstrapServers, String group, SfdStudentTrainer trainer, int batch, int window,
                        long seed) {
        if (window < batch) {
            throw new IllegalArgumentException("shuffle window " + window + " is smaller than the batch " + batch);
        }
        this.reader = new TrajectoryReader(bootstrapServers, group, TopicSpec.TRAJECTORIES, TopicSpec.TRAJECTORIES_DLQ);
        this.trainer = trainer;
        this.batch = batch;
        this.window = window;
        this.shuffle = new Random(seed);
        this.conditional = trainer.conditional();
    }

    /** Trains until {@code budget} trajectories are used or none arrives for {@code idle}. */
    public Stats runUntil(long budget, Duration idle) {
        int batches = 0;
        double lastLoss = Double.NaN;
        long lastArrival = System.nanoTime();
        while (trainer.trajectoriesSeen() < budget && System.nanoTime() - lastArrival < idle.toNanos()) {
            List<Trajectory> arrived = reader.poll(Duration.ofMillis(300));
            if (!arrived.isEmpty()) {
                lastArrival = System.nanoTime();
            }
            for (Trajectory t : arrived) {
                List<Trajectory> group = pending.computeIfAbsent(t.steps(), n -> new ArrayList<>());
                group.add(t);
                if (group.size() >= window && trainer.trajectoriesSeen() < budget) {
                    lastLoss = train(draw(group, batch));
                    batches++;
                }
            }
        }
        for (List<Trajectory> rest : pending.values()) { // drain the buffers at the end of the stream
            while (!rest.isEmpty() && trainer.trajectoriesSeen() < budget) {
                lastLoss = train(draw(rest, Math.min(batch, rest.size())));
                batches++;
            }
        }
        return new Stats(trainer.trajectoriesSeen(), batches, lastLoss, reader.deadLettered());
    }

    /** Removes {@code size} random trajectories from {@code group} (swap with the last: O(1) each). */
    private List<Trajectory> draw(List<Trajectory> group, int size) {
        List<Trajectory> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int j = shuffle.nextInt(group.size());
            out.add(group.get(j));
            group.set(j, group.get(group.size() - 1));
            group.remove(group.size() - 1);
        }
        return out;
    }

    private double train(List<Trajectory> items) {
        TrajectoryBatch.Stacked s = TrajectoryBatch.stack(items);
        return trainer.train(s.trajectory(), conditional ? s.labels() : null);
    }

    @Override
    public void close() {
        reader.close();
    }
}
