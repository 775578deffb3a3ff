package dev.sfd.cli;

import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.quality.EvaluationSeeds;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.text2image.Captions;
import dev.sfd.core.teachers.imports.text2image.PipelineReference;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import dev.sfd.core.teachers.imports.text2image.TextToImageQuality;
import dev.sfd.core.teachers.imports.text2image.TextToImageTeacher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code sfd evaluate --teacher <pipeline folder | .teacher.json> --student s.onnx}: the student of a
 * text-to-image teacher against the teacher's solvers at equal NFE and the teacher at high NFE, from decoded
 * images ({@link TextToImageQuality}: classifier-feature FD, caption accuracy, image MSE to the teacher).
 */
final class TextToImageEvaluate {

    private TextToImageEvaluate() {
    }

    static int run(EvaluateCommand c, PrintWriter w) {
        Path given = Path.of(c.selection.teacher);
        Path folder = PipelineReference.isManifest(given) ? PipelineReference.readManifest(given).folder() : given;
        StudentCheckpoint cp = StudentCheckpoint.load(c.student);
        TextToImageFolder f = TextToImageFolder.read(folder);
        if (!f.sha256().equals(cp.metadata().teacherSha256())) {
            w.println("warning: pipeline " + folder + " (sha256 " + f.sha256().substring(0, 12) + "…) is not the one the "
                    + "student was distilled from (" + cp.metadata().teacherId() + ", "
                    + cp.metadata().teacherSha256().substring(0, 12) + "…)");
        }
        if (!Captions.exist(folder)) {
            throw new IllegalArgumentException("pipeline folder " + folder + " has no " + Captions.FILE
                    + ": the evaluation prompts and their expected shapes come from it");
        }
        long t0 = System.nanoTime();
        SessionConfig s = SessionConfig.cpu(c.selection.threads);
        try (TextToImageTeacher teacher = TextToImageTeacher.open(f, cp.metadata().sampleShape(), s);
                StudentSampler student = new StudentSampler(cp, s);
                ShapesClassifier classifier = ShapesClassifier.openBuiltin(s)) {
            QualityReport r = TextToImageQuality.evaluate(teacher, student, classifier, Captions.read(folder), c.nfe,
                    c.seedOptions.seeds(EvaluationSeeds.Kind.HELD_OUT, c.samples), c.highNfe);
            w.print(r.format());
            List<Double> omegas = c.omegas(List.of(1.0, 2.0, 4.0));
            if (!omegas.equals(List.of(1.0))) {
                int nfe = c.nfe.stream().mapToInt(Integer::intValue).min().orElseThrow();
                EvaluationSeeds sweepSeeds = c.seedOptions.seeds(EvaluationSeeds.Kind.HELD_OUT, c.samples);
                w.print(TextToImageQuality.formatSweep(TextToImageQuality.guidanceSweep(teacher, student, classifier,
                        Captions.read(folder), nfe, c.guidanceSolver, omegas, sweepSeeds, c.highNfe), nfe,
                        c.guidanceSolver, c.highNfe, c.samples));
            }
            w.printf(Locale.ROOT, "evaluation took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
