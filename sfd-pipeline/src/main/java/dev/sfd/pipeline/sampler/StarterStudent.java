package dev.sfd.pipeline.sampler;

import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.pipeline.TeacherSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A student checkpoint made from a teacher with no training at all: SFD's initialisation (the
 * teacher's graph and weights plus a zero-initialised step-count embedding), with Γ(N) taken from
 * the teacher's polynomial schedule. It samples like the teacher run with N Euler steps (poorly
 * at NFE 2), so it is only for exercising the serving path: the sampler's tests and benchmark,
 * and a sampler brought up before any training has finished.
 */
public final class StarterStudent {

    private StarterStudent() {
    }

    /** The ONNX bytes of the starter student of {@code teacher} for the step counts N given (AFS on). */
    public static byte[] build(TeacherSource teacher, List<Integer> stepCounts, long seed) {
        return build(teacher.info(), teacher.model(), stepCounts, seed);
    }

    /**
     * The starter student of the teacher graph {@code teacherModel} described by {@code teacherInfo}: e.g. a
     * text-to-image pipeline's UNet contract and info ({@link dev.sfd.pipeline.PipelineTeacher#contract()},
     * {@code info()}), giving a student whose {@code cond} is the prompt embedding [B, L, D].
     */
    public static byte[] build(TeacherInfo teacherInfo, OnnxModel teacherModel, List<Integer> stepCounts, long seed) {
        TeacherInfo info = teacherInfo.requireComplete();
        StudentFromTeacher.StudentGraph graph = StudentFromTeacher.build(teacherModel, info.timeEmbedding(),
                info.timeEmbeddingWidth(), seed);
        ScheduleSpec schedule = ScheduleSpec.polynomial(info.tMin(), info.tMax());
        Map<Integer, double[]> timestamps = new TreeMap<>();
        for (int n : stepCounts) {
            timestamps.put(n, schedule.schedule().timestampsDescending(n));
        }
        StudentMetadata meta = new StudentMetadata(info.id(), info.sha256(), info.dataset(), info.sampleShape(),
                info.classes(), schedule, timestamps, graph.stepEmbedding(), true, 1.0, "none (starter student)", 0,
                "{\"trained\":false}", 0, seed, StudentMetadata.CODE_VERSION, Instant.now().toString());
        OnnxModel model = StudentCheckpoint.withMetadata(graph.model(), meta);
        return model.toBytes();
    }

    /** The manifest draft of {@code onnx} as {@code student} v{@code version} (for {@link CheckpointStore#put}). */
    public static CheckpointManifest draft(String student, long version, byte[] onnx) {
        StudentMetadata meta = StudentMetadata.of(OnnxModel.parse(student, onnx));
        ScheduleSpec s = meta.schedule();
        return new CheckpointManifest(CheckpointManifest.SCHEMA_VERSION, student, version, null,
                CheckpointStore.sha256(onnx), onnx.length, 0, meta.stepCounts(),
                s.kind() + "(t_min=" + s.tMin() + ", t_max=" + s.tMax() + ", rho=" + s.rho() + ")",
                meta.teacherId() + "@" + meta.teacherSha256(), Map.of(), Instant.now().toString());
    }
}
