package dev.sfd.pipeline.teacher;

import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;

/**
 * Turns a generated batch into blocks of {@code sfd.trajectories} (record contract v2): each job of
 * the batch (one prompt's samples) is cut into blocks of at most {@link #rowsPerBlock()} rows, and
 * each block's points are copied out of the batch's [B, …] tensors as contiguous row ranges
 * (no per-sample objects). A teacher batch that holds several prompts yields several blocks; one
 * block is always one prompt. A text-to-image prompt's blocks carry its text and {@code condition_ref}
 * (never an embedding) and, when the tokenizer cut it, the header
 * {@link TrajectoryKafkaHeaders#PROMPT_TRUNCATED}.
 */
public final class BlockEncoder {

    private final TeacherStageSettings settings;
    private final TeacherInfo info;
    private final int rowsPerBlock;
    private final int sampleSize;

    public BlockEncoder(TeacherInfo info, TeacherStageSettings settings) {
        this.settings = settings;
        this.info = info;
        long d = 1;
        for (long s : info.sampleShape()) {
            d *= s;
        }
        this.sampleSize = Math.toIntExact(d);
        this.rowsPerBlock = settings.rowsPerBlock(sampleSize, settings.stepCounts().get(settings.stepCounts().size() - 1));
    }

    /** B: rows per block for this teacher (the block size, capped by the block byte budget). */
    public int rowsPerBlock() {
        return rowsPerBlock;
    }

    /** Every block of {@code batch}, job after job, in batch row order. */
    public List<BlockRecord> encode(JobBatch batch, TeacherTrajectory trajectory) {
        List<BlockRecord> out = new ArrayList<>();
        double[] timestamps = trajectory.timestamps();
        int steps = timestamps.length;
        int row = 0;
        for (SampleJob job : batch.jobs()) {
            for (int from = 0; from < job.size(); from += rowsPerBlock) {
                int b = Math.min(rowsPerBlock, job.size() - from);
                int[] index = new int[b];
                long[] seed = new long[b];
                int[] label = new int[b];
                for (int r = 0; r < b; r++) {
                    index[r] = job.index(from + r);
                    seed[r] = job.seed(from + r);
                    label[r] = job.prompt().label();
                }
                float[] points = new float[steps * b * sampleSize];
                for (int i = 0; i < steps; i++) {
                    FloatTensor p = trajectory.points().get(i);
                    System.arraycopy(p.data(), (row + from) * sampleSize, points, i * b * sampleSize, b * sampleSize);
                }
                TrajectoryBlock block = new TrajectoryBlock(info.id(), info.sha256(), trajectory.solver(),
                        trajectory.k(), settings.schedule().kind(), timestamps, job.prompt().id(),
                        job.prompt().text(), job.prompt().conditionRef(), info.sampleShape(), index, seed, label,
                        points);
                Map<String, byte[]> headers = TrajectoryKafkaHeaders.of(block);
                if (job.prompt().truncated()) {
                    headers.put(TrajectoryKafkaHeaders.PROMPT_TRUNCATED, "true".getBytes(StandardCharsets.UTF_8));
                }
                out.add(new BlockRecord(block.blockId(), TrajectoryBlockCodec.encode(block, settings.dtype()),
                        headers, job.prompt().id(), b));
            }
            row += job.size();
        }
        return out;
    }
}
