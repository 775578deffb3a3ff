package dev.sfd.cli;

import picocli.CommandLine.Option;

/**
 * What a teacher graph's metadata may lack, given on the command line instead: the shape of one
 * sample, the number of class labels, the noise range and where the step-count embedding goes.
 * Shared by {@code sfd distill} and {@code sfd teacher import} (a picocli mixin).
 */
final class TeacherGraphOptions {

    @Option(names = "--sample-shape", description = "Shape of one sample, e.g. 2 or 3,16,16 (default: the teacher's "
            + "sfd.sample_shape or the graph's static dims; for a pipeline folder the latent channels,height,width).")
    String sampleShape;

    @Option(names = "--classes", description = "Number of class labels C (default: the teacher's sfd.cond.classes, or "
            + "the rows of the label embedding minus the ∅ row).")
    Integer classes;

    @Option(names = "--t-min", description = "Smallest noise level σ (default: the teacher's sfd.t_min; a VP import: "
            + "the ᾱ table's).")
    Double tMin;

    @Option(names = "--t-max", description = "Largest noise level σ (default: the teacher's sfd.t_max; a VP import: "
            + "the ᾱ table's).")
    Double tMax;

    @Option(names = "--inject", description = "The graph value [B, D] (the time embedding) to add the step-count "
            + "embedding to (default: the teacher's sfd.time_embedding, or the detected output of the time MLP); "
            + "none = a fixed-step-count student.")
    String inject;

    @Option(names = "--inject-dim", defaultValue = "0", description = "Width D of --inject (0 = from the metadata or "
            + "shape inference).")
    int injectDim;
}
