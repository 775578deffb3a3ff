package dev.sfd.sampler;

import dev.sfd.core.diffusion.ClassifierFreeGuidance;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.distill.quality.TeacherSampler;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.pipeline.TeacherSource;
import dev.sfd.pipeline.sampler.SampleRequest;
import dev.sfd.pipeline.sampler.SamplerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The teacher's own solver for the same seeds, label and ω as a student request: once at the
 * student's NFE (equal cost) and once at a high NFE (the reference), so the page can show what
 * distillation bought. The teacher is the one the sampler is configured with
 * ({@code sfd.sampler.teacher}); it must be of the student's data set. Loaded on first use,
 * one call at a time (it is a comparison for people, not a serving path).
 */
public final class TeacherComparison implements AutoCloseable {

    /** One column: the teacher's samples at one NFE. */
    public record Column(String solver, int nfe, int steps, FloatTensor samples, double millis, String note) {
    }

    private final Optional<String> spec;
    private final String solver;
    private final int referenceNfe;
    private final SessionConfig session;
    private TeacherSource source;
    private TeacherInfo info;
    private NoiseModel model;
    private String loadError;

    public TeacherComparison(Optional<String> spec, String solver, int referenceNfe, SessionConfig session) {
        this.spec = spec.filter(s -> !s.isBlank());
        this.solver = solver;
        this.referenceNfe = referenceNfe;
        this.session = session;
    }

    /** Whether a teacher is configured at all. */
    public boolean configured() {
        return spec.isPresent();
    }

    public Optional<String> spec() {
        return spec;
    }

    public String solver() {
        return solver;
    }

    public int referenceNfe() {
        return referenceNfe;
    }

    /** Why comparison is not possible with this student, or empty when it is. */
    public synchronized Optional<String> unavailableFor(StudentMetadata meta) {
        if (spec.isEmpty()) {
            return Optional.of("no teacher is configured: set sfd.sampler.teacher to '" + meta.teacherId()
                    + "' (a built-in name or an ONNX path) to compare with it");
        }
        try {
            load();
        } catch (RuntimeException e) {
            return Optional.of(loadError);
        }
        if (!info.dataset().equals(meta.dataset())) {
            return Optional.of("the configured teacher '" + info.id() + "' is of data set '" + info.dataset()
                    + "', the served student of '" + meta.dataset() + "': set sfd.sampler.teacher to '"
                    + meta.teacherId() + "'");
        }
        return Optional.empty();
    }

    /** The teacher's samples at the request's NFE and at the reference NFE, for the request's seeds. */
    public synchronized List<Column> compare(SampleRequest request, StudentMetadata meta) {
        unavailableFor(meta).ifPresent(reason -> {
            throw new SamplerException(SamplerException.Kind.FAILED_PRECONDITION, "teacher", "teacher: " + reason);
        });
        int nfe = meta.nfe(request.steps());
        List<Column> columns = new ArrayList<>();
        columns.add(run(request, meta, nfe));
        if (referenceNfe != nfe) {
            columns.add(run(request, meta, referenceNfe));
        }
        return columns;
    }

    private Column run(SampleRequest request, StudentMetadata meta, int nfe) {
        TeacherSampler ts = TeacherSampler.atNfe(solver, nfe, meta.schedule().schedule());
        if (ts == null) {
            return new Column(solver, nfe, 0, null, 0, solver + " cannot run with NFE " + nfe);
        }
        long[] seeds = request.seeds();
        double[] t = ts.timestamps();
        long start = System.nanoTime();
        FloatTensor x = SeededNoise.gaussian(seeds, meta.sampleShape(), t[0]); // the student's x_N for these seeds
        Condition c = info.classes() > 0 ? Condition.repeatLabel(request.label(), seeds.length) : Condition.none();
        NoiseModel m = request.omega() == 1.0 ? model : new ClassifierFreeGuidance(model, request.omega());
        FloatTensor x0 = ts.solver().solve(m, x, t, c);
        return new Column(solver, nfe, t.length - 1, x0, (System.nanoTime() - start) / 1e6, ts.describe());
    }

    private void load() {
        if (model != null) {
            return;
        }
        if (loadError != null) {
            throw new IllegalStateException(loadError);
        }
        try {
            source = TeacherSource.resolve(spec.orElseThrow());
            info = source.info();
            model = source.open(session);
        } catch (RuntimeException e) {
            loadError = "cannot load the teacher '" + spec.orElseThrow() + "' (sfd.sampler.teacher): " + e.getMessage();
            throw new IllegalStateException(loadError, e);
        }
    }

    /** The teacher's id and SHA-256, once loaded. */
    public synchronized Optional<TeacherInfo> info() {
        return Optional.ofNullable(info);
    }

    @Override
    public synchronized void close() {
        if (model != null) {
            try {
                model.close();
            } catch (Exception e) {
                // closing a session at shutdown: nothing left to do
            }
            model = null;
        }
    }
}
