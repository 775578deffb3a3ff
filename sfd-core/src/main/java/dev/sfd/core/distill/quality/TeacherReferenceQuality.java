package dev.sfd.core.distill.quality;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.metrics.SlicedWasserstein;
import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/**
 * Quality of a custom teacher's students, whose data SFD does not know: the reference is the
 * teacher itself, solved to convergence (DPM-Solver++(3M) at {@code referenceNfe} on the schedule
 * of the student, on the evaluation's own seeds and labels). Metrics: Fréchet distance and sliced
 * Wasserstein distance to the reference in sample space, and, with a {@link FeatureExtractor},
 * the Fréchet distance in its feature space. Lower is better; 0 = the converged teacher.
 */
public final class TeacherReferenceQuality implements SampleQuality {

    public static final String SOLVER = "dpm++3m";
    private static final int PROJECTIONS = 256;

    private final FloatTensor reference;
    private final FeatureExtractor features;
    private final FloatTensor referenceFeatures;
    private final String description;

    private TeacherReferenceQuality(FloatTensor reference, FeatureExtractor features, String description) {
        this.reference = reference;
        this.features = features;
        this.referenceFeatures = features == null ? null : features.features(reference);
        this.description = description;
    }

    /**
     * Samples the reference.
     *
     * @param labels null for an unconditional teacher
     * @param features optional feature network (null = sample space only)
     */
    public static TeacherReferenceQuality build(NoiseModel teacher, Schedule schedule, long[] sampleShape, long[] seeds,
            int[] labels, int referenceNfe, int chunk, FeatureExtractor features) {
        TeacherSampler ts = TeacherSampler.atNfe(SOLVER, referenceNfe, schedule);
        FloatTensor reference = ts.sample(teacher, seeds, labels, sampleShape, chunk);
        String d = "reference = the teacher itself, " + ts.describe() + " (converged), on the evaluation's seeds and "
                + "labels; metrics in sample space" + (features == null ? "" : " and in the feature space of "
                + features.name());
        return new TeacherReferenceQuality(reference, features, d);
    }

    /** What the reference is, for the report. */
    public String description() {
        return description;
    }

    @Override
    public List<String> metrics() {
        return features == null ? List.of("FD", "SW") : List.of("FD", "SW", "FD-features");
    }

    @Override
    public List<Boolean> higherIsBetter() {
        return features == null ? List.of(false, false) : List.of(false, false, false);
    }

    /** FD in sample space to the (fixed) converged teacher, per resample. */
    @Override
    public Bootstrap.Statistic primary(FloatTensor samples, int[] labels) {
        return rows -> SampleFrechet.between(Bootstrap.pick(samples, rows), reference);
    }

    @Override
    public double[] measure(FloatTensor samples, int[] labels) {
        double fd = SampleFrechet.between(samples, reference);
        double sw = SlicedWasserstein.distance(samples, reference, PROJECTIONS, 7);
        if (features == null) {
            return new double[] {fd, sw};
        }
        return new double[] {fd, sw, SampleFrechet.between(features.features(samples), referenceFeatures)};
    }
}
