package dev.sfd.pipeline.teacher;

import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.TensorDtype;
import dev.sfd.core.trajectory.TrajectoryHeader;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.core.trajectory.TrajectorySegment;
import dev.sfd.core.trajectory.TrajectorySegmentCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a generated batch into records of {@code sfd.trajectories}: per sample (in batch order) one
 * trajectory of N + 1 segments, x_N with the {@link TrajectoryHeader} first, then x̃_{N−1} … x̃_0,
 * all keyed by the deterministic trajectory id so they stay ordered in one partition. The header
 * records schedule, timestamps, seed, prompt, class label (condition ids = [label], −1 = ∅), teacher
 * ({@code id@sha256}), solver and K.
 */
public final class SegmentEncoder {

    private final TeacherStageSettings settings;
    private final String teacher;
    private final Map<String, Double> scheduleParams;

    public SegmentEncoder(TeacherInfo info, TeacherStageSettings settings) {
        this.settings = settings;
        this.teacher = info.id() + "@" + info.sha256();
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("t_min", settings.schedule().tMin());
        p.put("t_max", settings.schedule().tMax());
        p.put("rho", settings.schedule().rho());
        this.scheduleParams = p;
    }

    /** Every segment of every sample of {@code batch}, trajectory after trajectory. */
    public List<SegmentRecord> encode(JobBatch batch, TeacherTrajectory trajectory) {
        List<SegmentRecord> out = new ArrayList<>(batch.size() * (batch.stepCount() + 1));
        List<Double> timestamps = Arrays.stream(trajectory.timestamps()).boxed().toList();
        int row = 0;
        for (SampleJob job : batch.jobs()) {
            for (int j = 0; j < job.size(); j++, row++) {
                TrajectoryHeader header = new TrajectoryHeader(job.trajectoryId(j), settings.schedule().kind(),
                        scheduleParams, trajectory.steps(), timestamps, job.seed(j), job.prompt().request().prompt(),
                        List.of(job.prompt().label()), List.of(), teacher, trajectory.solver(), trajectory.k());
                out.add(record(TrajectorySegment.first(header, sample(trajectory.pointAt(trajectory.steps()), row)),
                        job.prompt().id()));
                for (int n = trajectory.steps() - 1; n >= 0; n--) {
                    out.add(record(TrajectorySegment.teacherPoint(header, n, sample(trajectory.pointAt(n), row)),
                            job.prompt().id()));
                }
            }
        }
        return out;
    }

    private SegmentRecord record(TrajectorySegment segment, String promptId) {
        TensorDtype dtype = settings.dtype();
        return new SegmentRecord(segment.trajectoryId(), TrajectorySegmentCodec.encode(segment, dtype),
                TrajectoryKafkaHeaders.asBytes(TrajectoryKafkaHeaders.of(segment, dtype)), promptId);
    }

    private static FloatTensor sample(FloatTensor batch, int i) {
        long[] shape = batch.shape().clone();
        shape[0] = 1;
        return new FloatTensor(shape, batch.sample(i));
    }
}
