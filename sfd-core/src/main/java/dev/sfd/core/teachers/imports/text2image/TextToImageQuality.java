package dev.sfd.core.teachers.imports.text2image;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.quality.EvaluationSeeds;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.distill.quality.TeacherSampler;
import dev.sfd.core.image.AreaDownsample;
import dev.sfd.core.metrics.PairedMse;
import dev.sfd.core.metrics.PromptAccuracy;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.metrics.ShapesEvaluation;
import dev.sfd.core.metrics.ShapesFid;
import dev.sfd.core.metrics.SolverSampler;
import dev.sfd.core.teachers.ShapesLabels;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quality report of a text-to-image student on a shapes-world pipeline, from decoded images: the
 * shapes classifier's feature Fréchet distance to real shapes images, caption accuracy (the classifier sees
 * the caption's colour and shape) and the image MSE to the teacher at high NFE from the same noise and
 * caption. Columns: the teacher's solvers at equal NFE ({@link TeacherSampler}), the student, and the teacher
 * at high NFE (DPM-Solver++(3M)); everything at ω = 1, as the student was distilled. Sample i has noise seed
 * {@code seedSet.base() + i} and caption {@code i mod captions}.
 */
public final class TextToImageQuality {

    public static final String FD = "FD (classifier features)";
    public static final String ACCURACY = "caption accuracy";
    public static final String MSE = "image MSE to teacher@H";
    public static final List<String> METRICS = List.of(FD, ACCURACY, MSE);
    /** The teacher's solvers at equal NFE: the project's set plus DPM-Solver++(2M), the best at NFE 2 here. */
    public static final List<String> TEACHER_SOLVERS = List.of("euler", "heun", "dpm++2m", "dpm++3m", "afs+dpm++3m");
    private static final int CHUNK = 128;

    private TextToImageQuality() {
    }

    public static QualityReport evaluate(TextToImageTeacher teacher, StudentSampler student, ShapesClassifier classifier,
            Captions captions, List<Integer> nfes, EvaluationSeeds seedSet, int highNfe) {
        int samples = seedSet.samples();
        long seedBase = seedSet.base();
        if (captions.all().stream().anyMatch(c -> c.condition() == null)) {
            throw new IllegalArgumentException("captions of " + teacher.folder().folder() + " name words that are not "
                    + "shapes colours/shapes; caption accuracy needs shapes-world captions");
        }
        long[] seeds = new long[samples];
        List<String> prompts = new ArrayList<>();
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            seeds[i] = seedBase + i;
            Captions.Caption c = captions.all().get(i % captions.size());
            prompts.add(c.text());
            labels[i] = ShapesLabels.of(c.condition());
        }
        Schedule schedule = student.metadata().schedule().schedule();
        long t0 = System.nanoTime();
        TeacherSampler high = TeacherSampler.atNfe("dpm++3m", highNfe, schedule);
        FloatTensor reference = images(teacher, seeds, prompts, (s, c) -> solve(teacher, high, s, c));
        QualityReport.Cell ref = cell(high.describe(), highNfe, reference, reference, classifier, labels, t0);
        Map<Integer, Map<String, QualityReport.Cell>> rows = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>(TEACHER_SOLVERS);
        columns.add(QualityReport.STUDENT);
        for (int nfe : nfes) {
            Map<String, QualityReport.Cell> row = new LinkedHashMap<>();
            for (String solver : TEACHER_SOLVERS) {
                TeacherSampler ts = TeacherSampler.atNfe(solver, nfe, schedule);
                if (ts != null) {
                    long s0 = System.nanoTime();
                    FloatTensor img = images(teacher, seeds, prompts, (s, c) -> solve(teacher, ts, s, c));
                    row.put(solver, cell(ts.describe(), nfe, img, reference, classifier, labels, s0));
                }
            }
            long s0 = System.nanoTime();
            FloatTensor img = images(teacher, seeds, prompts,
                    (s, c) -> student.sampleAtNfe(s, c, Condition.none(), nfe, 1.0).samples());
            row.put(QualityReport.STUDENT, cell("student, N = " + student.metadata().stepsForNfe(nfe), nfe, img, reference,
                    classifier, labels, s0));
            rows.put(nfe, row);
        }
        List<String> notes = List.of("decoded 32x32 images, 2x2 area-downsampled for the shapes classifier; FD against "
                        + ShapesEvaluation.REAL_IMAGES + " real shapes images; ω = 1 everywhere (as distilled)",
                "sample i: noise seed " + seedBase + "+i, caption i mod " + captions.size() + " of captions.json");
        return new QualityReport(teacher.folder().folder().getFileName() + " (text-to-image)", METRICS, samples, seedSet, columns,
                rows, ref, notes);
    }

    private static FloatTensor solve(TextToImageTeacher teacher, TeacherSampler ts, long[] seeds, Condition c) {
        return new SolverSampler(teacher.model(), ts.solver(), ts.timestamps(), teacher.latentShape(), 1.0).sample(seeds, c);
    }

    /** Decoded images of a sampler, run in chunks. */
    private static FloatTensor images(TextToImageTeacher teacher, long[] seeds, List<String> prompts,
            java.util.function.BiFunction<long[], Condition, FloatTensor> sampler) {
        List<FloatTensor> parts = new ArrayList<>();
        for (int from = 0; from < seeds.length; from += CHUNK) {
            int to = Math.min(seeds.length, from + CHUNK);
            long[] s = java.util.Arrays.copyOfRange(seeds, from, to);
            parts.add(teacher.decode(sampler.apply(s, teacher.condition(prompts.subList(from, to)))));
        }
        return concat(parts);
    }

    private static QualityReport.Cell cell(String name, int nfe, FloatTensor images, FloatTensor reference,
            ShapesClassifier classifier, int[] labels, long start) {
        ShapesClassifier.Predictions p = classifier.classify(AreaDownsample.to(images, 16));
        double fd = ShapesFid.featuresToReal(classifier, p.features(), ShapesEvaluation.REAL_IMAGES);
        return new QualityReport.Cell(name, nfe, new double[] {fd, PromptAccuracy.of(p, labels),
                PairedMse.of(images, reference)}, (System.nanoTime() - start) / 1e9);
    }

    private static FloatTensor concat(List<FloatTensor> parts) {
        int n = parts.stream().mapToInt(FloatTensor::batch).sum();
        int per = parts.get(0).sampleSize();
        float[] out = new float[n * per];
        int at = 0;
        for (FloatTensor t : parts) {
            System.arraycopy(t.data(), 0, out, at, t.data().length);
            at += t.data().length;
        }
        long[] shape = parts.get(0).shape().clone();
        shape[0] = n;
        return new FloatTensor(shape, out);
    }
}
