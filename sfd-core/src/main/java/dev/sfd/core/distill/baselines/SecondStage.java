package dev.sfd.core.distill.baselines;

import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdDistiller;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentNetwork;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.SessionConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SFD's second stage (one step): the teacher is a first-stage student sampled with Euler over N₁ of
 * its steps ({@link FirstStageTeacher}), the new student is initialised from the first-stage student
 * and trained with the SFD engine ({@link SfdDistiller}, Algorithm 2) on N₂ steps: N₂ = 2 with AFS
 * (the first step analytic, so NFE 1), N₂ = 1 without. The teacher solver is Euler with
 * K = N₁ / N₂ sub-steps, so the teacher's grid Γ(N₂) refined K times is exactly the first student's
 * Γ(N₁) on its own schedule (same family, range and ρ, read from its metadata).
 */
public final class SecondStage {

    /** Metadata keys naming the original teacher of the first stage. */
    public static final String ORIGINAL_TEACHER = "sfd.student.original_teacher";
    public static final String ORIGINAL_TEACHER_SHA256 = "sfd.student.original_teacher_sha256";

    /**
     * What the second stage trains.
     *
     * @param first       the first-stage student
     * @param firstSteps  N₁: the first student's steps that make the teacher
     * @param steps       N₂ of the new student (2 with AFS, 1 without)
     * @param k           Euler sub-steps per student step (N₁ / N₂)
     * @param info        the first student described as a teacher
     * @param student     the new student's graph (the first student's graph and weights)
     */
    public record Plan(StudentCheckpoint first, int firstSteps, int steps, int k, TeacherInfo info,
            StudentFromTeacher.StudentGraph student) {

        /** The SFD settings of this stage: the first student's schedule and AFS, Euler with K, N = N₂. */
        public SfdConfig.Builder config() {
            StudentMetadata m = first.metadata();
            return SfdConfig.builder(m.schedule()).solver("euler").k(k).afs(m.afs()).stepCounts(List.of(steps));
        }
    }

    private SecondStage() {
    }

    /**
     * @param first      the first-stage student
     * @param firstSteps N₁ (0 = the largest trained N that N₂ divides)
     */
    public static Plan plan(StudentCheckpoint first, int firstSteps) {
        StudentMetadata m = first.metadata();
        int steps = m.afs() ? 2 : 1;
        int n1 = firstSteps > 0 ? firstSteps : m.stepCounts().stream().filter(n -> n % steps == 0 && n > steps)
                .max(Integer::compare).orElseThrow(() -> new IllegalArgumentException("first-stage student of '"
                        + m.teacherId() + "' has trained N " + m.stepCounts() + ", none a multiple of " + steps
                        + " above it; pass the first-stage steps N1 explicitly (a multiple of " + steps + ")"));
        if (n1 <= steps || n1 % steps != 0) {
            throw new IllegalArgumentException("second stage: the first-stage steps N1 = " + n1 + " must be a multiple of "
                    + steps + " (the new student's N" + (m.afs() ? " with AFS" : "") + ") and larger than it, so that "
                    + "Euler with K = N1/" + steps + " sub-steps walks the first student's own grid Γ(N1)");
        }
        ScheduleSpec s = m.schedule();
        TeacherInfo info = new TeacherInfo("first-stage student of " + m.teacherId() + " (sha256 "
                + first.sha256().substring(0, 12) + "…, N=" + n1 + ")", first.sha256(), m.dataset(), m.sampleShape(),
                s.tMin(), s.tMax(), m.classes(), null, 0);
        return new Plan(first, n1, steps, n1 / steps, info,
                new StudentFromTeacher.StudentGraph(first.model(), m.stepEmbedding(), null));
    }

    /** Runs the stage with {@code config} (from {@link Plan#config()}); the student records the method and its origin. */
    public static DistillationResult run(Plan plan, SfdConfig config, SessionConfig teacherSession,
            SfdDistiller.Listener listener) {
        StudentMetadata m = plan.first().metadata();
        DistillationResult r;
        try (FirstStageTeacher teacher = new FirstStageTeacher(new StudentNetwork(plan.first().model(), teacherSession),
                plan.firstSteps(), m.schedule().tMax(), m.afs())) {
            r = new SfdDistiller(teacher, plan.info(), plan.student(), config).listener(listener).run();
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(BaselineMethod.METADATA_KEY, BaselineMethod.SFD_SECOND_STAGE.id());
        extra.put(BaselineMethod.FIRST_STAGE_SHA256, plan.first().sha256());
        extra.put(BaselineMethod.FIRST_STAGE_STEPS, Integer.toString(plan.firstSteps()));
        Map<String, String> firstMeta = plan.first().model().metadata();
        extra.put(ORIGINAL_TEACHER, firstMeta.getOrDefault(ORIGINAL_TEACHER, m.teacherId()));
        extra.put(ORIGINAL_TEACHER_SHA256, firstMeta.getOrDefault(ORIGINAL_TEACHER_SHA256, m.teacherSha256()));
        return new DistillationResult(r.student().withMetadata(extra), r.metadata(), r.trajectories(), r.optimizerSteps(),
                r.teacherNfe(), r.seconds(), r.firstLoss(), r.finalLossByN());
    }
}
