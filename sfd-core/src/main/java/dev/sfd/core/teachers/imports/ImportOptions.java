package dev.sfd.core.teachers.imports;

/**
 * What {@code sfd teacher import} may be told about a foreign ONNX diffusion model; every field
 * left null is detected (and the decision reported). Each field corresponds to one command-line
 * flag, named in {@link #FLAGS} order in error messages.
 */
public final class ImportOptions {

    /** What the network's output predicts. */
    public enum Prediction { EPS, X0, V, EDM }

    /** How the network's noise level is parameterised: VE σ(t) = t, or VP with a discrete ᾱ table. */
    public enum Noise { VE, VP }

    /** Graph input holding the noisy sample (--sample-input). */
    public String sampleInput;
    /** Graph input holding the noise level or timestep (--time-input). */
    public String timeInput;
    /** Graph input holding the condition (--cond-input), "none" = unconditional. */
    public String condInput;
    /** Graph output to use (--output). */
    public String output;
    /** --prediction eps | x0 | v | edm. */
    public Prediction prediction;
    /** --noise ve | vp. */
    public Noise noise;
    /** --sample-shape, e.g. {2} or {3, 16, 16}. */
    public long[] sampleShape;
    /** --t-min / --t-max (σ range). */
    public Double tMin;
    public Double tMax;
    /** --classes: number of class labels C. */
    public Integer classes;
    /** --null-label: the label the network uses for "no condition" (∅, passed as −1 by SFD). */
    public Integer nullLabel;
    /** --inject: time-embedding value for the step-count embedding; "none" = fixed-N student. */
    public String inject;
    /** --inject-dim: its width (0 = measured). */
    public int injectDim;
    /** --dataset: data set name recorded in the metadata (default "custom"). */
    public String dataset;
    /** VP: --beta-schedule linear | scaled-linear (default scaled-linear), --beta-start, --beta-end, --train-steps. */
    public String betaSchedule;
    public Double betaStart;
    public Double betaEnd;
    public Integer trainSteps;
    /** VP: --alphas-cumprod, the ᾱ table itself (overrides the β flags). */
    public double[] alphasCumprod;
}
