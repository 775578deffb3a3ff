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
        return solve(teacher.model(), teacher, ts, seeds, c);
    }

    private static FloatTensor solve(dev.sfd.core.diffusion.NoiseModel model, TextToImageTeacher teacher,
            TeacherSampler ts, long[] seeds, Condition c) {
        return new SolverSampler(model, ts.solver(), ts.timestamps(), teacher.latentShape(), 1.0).sample(seeds, c);
    }

    /**
     * One row of a guidance sweep: at scale ω, the teacher guided at high NFE (the reference), the teacher's
     * {@code solver} guided at the student's NFE, and the student (distilled at ω = 1) guided the same way,
     * ε̃ = ε_∅ + ω(ε_c − ε_∅) with ∅ the empty prompt's embedding. Metrics as {@link #METRICS}; the MSE is to
     * the guided reference of the same ω.
     */
    public record GuidanceRow(double omega, QualityReport.Cell reference, QualityReport.Cell solver,
            QualityReport.Cell student) {
    }

    /**
     * SFD's guidance-free distillation at work (SFD.md "Guidance"): the student distilled at ω = 1 sampled at
     * each of {@code omegas} beside the teacher guided at the same ω, on the same seeds and captions as
     * {@link #evaluate}.
     */
    public static List<GuidanceRow> guidanceSweep(TextToImageTeacher teacher, StudentSampler student,
            ShapesClassifier classifier, Captions captions, int nfe, String solverName, List<Double> omegas,
            EvaluationSeeds seedSet, int highNfe) {
        int samples = seedSet.samples();
        long[] seeds = new long[samples];
        List<String> prompts = new ArrayList<>();
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            seeds[i] = seedSet.base() + i;
            Captions.Caption c = captions.all().get(i % captions.size());
            prompts.add(c.text());
            labels[i] = ShapesLabels.of(c.condition());
        }
        Schedule schedule = student.metadata().schedule().schedule();
        TeacherSampler high = TeacherSampler.atNfe("dpm++3m", highNfe, schedule);
        TeacherSampler low = TeacherSampler.atNfe(solverName, nfe, schedule);
        if (low == null) {
            throw new IllegalArgumentException("teacher solver " + solverName + " cannot run at NFE " + nfe
                    + "; pick one of " + TEACHER_SOLVERS + " that fits");
        }
        Condition empty = Condition.embedding(teacher.prompts().embedding(""));
        List<GuidanceRow> rows = new ArrayList<>();
        for (double omega : omegas) {
            dev.sfd.core.diffusion.NoiseModel guided = teacher.guided(omega);
            long t0 = System.nanoTime();
            FloatTensor reference = images(teacher, seeds, prompts, (s, c) -> solve(guided, teacher, high, s, c));
            QualityReport.Cell ref = cell(high.describe(), highNfe, reference, reference, classifier, labels, t0);
            long t1 = System.nanoTime();
            FloatTensor solved = images(teacher, seeds, prompts, (s, c) -> solve(guided, teacher, low, s, c));
            QualityReport.Cell sol = cell(low.describe(), nfe, solved, reference, classifier, labels, t1);
            long t2 = System.nanoTime();
            FloatTensor img = images(teacher, seeds, prompts,
                    (s, c) -> student.sampleAtNfe(s, c, empty, nfe, omega).samples());
            QualityReport.Cell st = cell("student, N = " + student.metadata().stepsForNfe(nfe), nfe, img, reference,
                    classifier, labels, t2);
            rows.add(new GuidanceRow(omega, ref, sol, st));
        }
        return rows;
    }

    /** The sweep as a table: per ω, FD, caption accuracy and MSE to the guided reference, side by side. */
    public static String formatSweep(List<GuidanceRow> rows, int nfe, String solverName, int highNfe, int samples) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(java.util.Locale.ROOT, "guidance sweep at NFE %d (%d samples; student distilled at ω = 1, "
                + "guided at sampling: ε̃ = ε_∅ + ω(ε_c − ε_∅), ∅ = the empty prompt; network calls per step double "
                + "for every ω ≠ 1 on both sides)%n", nfe, samples));
        b.append(String.format(java.util.Locale.ROOT, "%-5s | %-30s | %-30s | %-21s%n", "ω",
                "FD: " + solverName + " / student / teacher@" + highNfe, "caption accuracy: same three",
                "MSE to teacher@" + highNfe + "(ω)"));
        for (GuidanceRow r : rows) {
            b.append(String.format(java.util.Locale.ROOT, "%-5.1f | %9.2f %9.2f %10.2f | %9.3f %9.3f %10.3f | %9.4f %9.4f%n",
                    r.omega(), r.solver().values()[0], r.student().values()[0],
                    r.reference().values()[0], r.solver().values()[1], r.student().values()[1],
                    r.reference().values()[1], r.solver().values()[2], r.student().values()[2]));
        }
        return b.toString();
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
        return FloatTensor.concat(parts);
    }

    private static QualityReport.Cell cell(String name, int nfe, FloatTensor images, FloatTensor reference,
            ShapesClassifier classifier, int[] labels, long start) {
        ShapesClassifier.Predictions p = classifier.classify(AreaDownsample.to(images, 16));
        double fd = ShapesFid.featuresToReal(classifier, p.features(), ShapesEvaluation.REAL_IMAGES);
        return new QualityReport.Cell(name, nfe, new double[] {fd, PromptAccuracy.of(p, labels),
                PairedMse.of(images, reference)}, (System.nanoTime() - start) / 1e9);
    }
}
