package dev.sfd.cli;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdDistiller;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.distill.baselines.BaselineConfig;
import dev.sfd.core.distill.baselines.BaselineDistiller;
import dev.sfd.core.distill.baselines.BaselineMethod;
import dev.sfd.core.distill.baselines.SecondStage;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.TeacherDatasets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --method} and {@code --second-stage} parts of {@code sfd distill}: SFD (Algorithm 2),
 * the baselines TD and CD on the same engine and budget, and SFD's second stage (one step) from a
 * first-stage student file. Every student file records its method.
 */
final class DistillMethods {

    private DistillMethods() {
    }

    /** Runs {@code method} (sfd, td, cd) on the prepared teacher, student and settings. */
    static DistillationResult run(PrintWriter w, String method, double cdEma, int cdEvery, NoiseModel teacher,
            TeacherInfo info, StudentFromTeacher.StudentGraph student, SfdConfig config) {
        BaselineMethod m = BaselineMethod.of(method);
        if (m == BaselineMethod.TD || m == BaselineMethod.CD) {
            w.printf(Locale.ROOT, "method %s: %s; the budget counts SFD batches (one Adam step per trained student step of "
                    + "a drawn N, each on %d fresh data points of '%s')%n", m.id(), m == BaselineMethod.TD
                    ? "trajectory distillation (SFD.md Algorithm 1), target = one teacher Solver(K) step from a noised data point"
                    : String.format(Locale.ROOT, "consistency distillation, target = teacher Solver(K) step then the target "
                            + "network's jump to t_min (EMA %.4g, rebuilt every %d steps)", cdEma, cdEvery),
                    config.batch(), info.dataset());
            w.flush();
        }
        if (m == BaselineMethod.SFD) {
            DistillationResult r = new SfdDistiller(teacher, info, student, config).run();
            return withMethod(r, m);
        }
        if (m == BaselineMethod.SFD_SECOND_STAGE) {
            throw new IllegalArgumentException("method '" + method + "' is chosen with --second-stage and a first-stage "
                    + "student as --teacher");
        }
        if (!TeacherDatasets.NAMES.contains(info.dataset())) {
            throw new IllegalArgumentException("--method " + m.id() + " draws x0 from the teacher's data set, but teacher '"
                    + info.id() + "' has data set '" + info.dataset() + "'; only the built-in data sets "
                    + TeacherDatasets.NAMES + " are available (SFD itself needs no data: --method sfd)");
        }
        BaselineConfig bc = m == BaselineMethod.TD ? BaselineConfig.td(config) : BaselineConfig.cd(config, cdEma, cdEvery);
        return new BaselineDistiller(teacher, info, student, bc, TeacherDatasets.of(info.dataset())).run();
    }

    private static DistillationResult withMethod(DistillationResult r, BaselineMethod m) {
        return new DistillationResult(r.student().withMetadata(Map.of(BaselineMethod.METADATA_KEY, m.id())), r.metadata(),
                r.trajectories(), r.optimizerSteps(), r.teacherNfe(), r.seconds(), r.firstLoss(), r.finalLossByN());
    }

    /**
     * The second stage: {@code firstStudent} (a student file from {@code sfd distill}) is the teacher, sampled with
     * Euler over {@code firstSteps} of its steps (0 = its largest trained even N with AFS); the new student
     * takes one network step.
     */
    static int secondStage(PrintWriter w, Path firstStudent, Path out, int firstSteps, long budget, int batch, double lr,
            long seed, int threads, boolean progress) {
        StudentCheckpoint first = StudentCheckpoint.load(firstStudent);
        SecondStage.Plan plan = SecondStage.plan(first, firstSteps);
        SfdConfig config = plan.config().batch(batch).learningRate(lr).budget(budget).seed(seed).threads(threads)
                .progress(progress).build();
        w.printf(Locale.ROOT, "SFD second stage: teacher = first-stage student %s (sha256 %s…, trained N %s) sampled with "
                + "Euler over N1 = %d steps; new student N = %d (NFE %d, AFS %s), Euler K=%d, budget %d, batch %d, lr %g%n",
                firstStudent, first.sha256().substring(0, 12), first.metadata().stepCounts(), plan.firstSteps(),
                plan.steps(), config.nfe(plan.steps()), config.afs() ? "on" : "off", plan.k(), budget, batch, lr);
        w.flush();
        DistillationResult r = SecondStage.run(plan, config, SessionConfig.cpu(1), (s, n, l) -> { });
        report(w, r, out);
        return 0;
    }

    /** Saves the student and prints the run's numbers. */
    static StudentCheckpoint report(PrintWriter w, DistillationResult r, Path out) {
        StudentCheckpoint cp = StudentCheckpoint.save(r.student(), out);
        StringBuilder loss = new StringBuilder("{");
        r.finalLossByN().forEach((n, l) -> loss.append(loss.length() > 1 ? ", " : "").append("N=").append(n)
                .append(": ").append(String.format(Locale.ROOT, "%.4f", l)));
        loss.append('}');
        w.printf(Locale.ROOT, "%s: distilled in %.1f s: %d trajectories, %d Adam steps, %d teacher calls; loss %.4f -> %s%n",
                cp.model().metadata().getOrDefault(BaselineMethod.METADATA_KEY, "sfd"), r.seconds(), r.trajectories(),
                r.optimizerSteps(), r.teacherNfe(), r.firstLoss(), loss);
        List<Integer> nfe = cp.metadata().stepCounts().stream().map(cp.metadata()::nfe).toList();
        w.printf(Locale.ROOT, "wrote %s (sha256 %s); sample with N in %s (NFE %s)%n", out, cp.sha256(),
                cp.metadata().stepCounts(), nfe);
        return cp;
    }
}
