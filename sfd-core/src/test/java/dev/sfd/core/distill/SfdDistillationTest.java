package dev.sfd.core.distill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.distill.quality.MixtureQuality;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.BuiltinTeachers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A short SFD run on the built-in mixture2d teacher (a few seconds): the student at NFE 2 beats the
 * teacher's Euler at NFE 2 by a clear margin on the exact class-conditional FD.
 */
class SfdDistillationTest {

    @Test
    void shortRunMakesTheNfe2StudentBeatTeacherEuler() {
        OnnxModel teacherModel = BuiltinTeachers.load("mixture2d");
        TeacherInfo info = TeacherInfo.of("mixture2d", teacherModel, teacherModel.toBytes());
        SfdConfig config = SfdConfig.builder(ScheduleSpec.polynomial(info.tMin(), info.tMax()))
                .stepCounts(3).budget(Long.getLong("sfd.test.budget", 7_680)).batch(256)
                .learningRate(Double.parseDouble(System.getProperty("sfd.test.lr", "1e-3"))).seed(1).threads(2).build();
        try (NoiseModel teacher = OnnxNoiseModel.open("teacher", teacherModel.toBytes(), SessionConfig.cpu(1),
                OnnxNoiseModel.Names.defaults())) {
            DistillationResult r = new SfdDistiller(teacher, info,
                    StudentFromTeacher.build(teacherModel, info.timeEmbedding(), info.timeEmbeddingWidth(), 1), config).run();
            System.out.printf("SFD: %d trajectories, %d Adam steps, %d teacher NFE, %.1f s, loss %.4f -> %s%n",
                    r.trajectories(), r.optimizerSteps(), r.teacherNfe(), r.seconds(), r.firstLoss(), r.finalLossByN());
            try (StudentSampler sampler = new StudentSampler(new StudentCheckpoint(r.student(), r.metadata(), ""),
                    SessionConfig.cpu(2))) {
                QualityReport report = new QualityEvaluator("mixture2d", teacher, sampler,
                        new MixtureQuality(Mixture2d.ring().mixture())).samples(2000).highNfe(32)
                        .solvers(List.of("euler", "dpm++3m")).evaluate(List.of(2));
                System.out.println(report.format());
                double student = report.value(2, QualityReport.STUDENT, "FD");
                double euler = report.value(2, "euler", "FD");
                assertTrue(student * 3 < euler, "student FD " + student + " vs teacher Euler FD " + euler);
            }
        }
    }
}
