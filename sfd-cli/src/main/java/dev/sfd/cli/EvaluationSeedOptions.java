package dev.sfd.cli;

import dev.sfd.core.distill.quality.Bootstrap;
import dev.sfd.core.distill.quality.EvaluationSeeds;
import picocli.CommandLine.Option;

/**
 * Which evaluation seeds a quality command samples on and the bootstrap of its FD (issue 25): a
 * picocli mixin of {@code sfd evaluate}, {@code sfd student-quality} and {@code sfd teacher stability}.
 * Each command passes its own default set (held-out for evaluate, development for the others).
 */
final class EvaluationSeedOptions {

    @Option(names = "--seed-set", description = "Evaluation seeds: development (seeds from "
            + EvaluationSeeds.DEVELOPMENT_BASE + "; recipe search) or held-out (seeds from " + EvaluationSeeds.HELD_OUT_BASE
            + "; the figures the README reports, never used to choose a knob). Default: held-out for sfd evaluate, "
            + "development for sfd student-quality and sfd teacher stability. See docs/quality-recipe.md.")
    String seedSet;

    @Option(names = "--seed-base", description = "Override: seeds seed-base … seed-base+samples-1, neither set (the "
            + "report says so and which set it overlaps); not together with --seed-set.")
    Long seedBase;

    @Option(names = "--bootstrap", description = "Bootstrap replicates B for the 95 %% percentile interval of FD, "
            + "printed as 17.2 [15.9, 18.8]; 0 = off (default " + Bootstrap.DEFAULT_REPLICATES
            + "; custom teachers: 0, since their FD costs d³ per replicate).")
    Integer bootstrap;

    @Option(names = "--bootstrap-seed", defaultValue = "" + Bootstrap.DEFAULT_SEED, description = "Seed of the "
            + "bootstrap resamples (default ${DEFAULT-VALUE}; printed in the report).")
    long bootstrapSeed;

    /** The seeds: --seed-base if given, else --seed-set, else {@code defaultKind}. */
    EvaluationSeeds seeds(EvaluationSeeds.Kind defaultKind, int samples) {
        if (seedBase != null && seedSet != null) {
            throw new IllegalArgumentException("--seed-set " + seedSet + " and --seed-base " + seedBase + " both given: "
                    + "a seed set fixes its base; give one of them");
        }
        if (seedBase != null) {
            return EvaluationSeeds.override(seedBase, samples);
        }
        return EvaluationSeeds.of(seedSet == null ? defaultKind : EvaluationSeeds.Kind.parse(seedSet), samples);
    }

    /** The bootstrap: --bootstrap if given, else {@code defaultReplicates}. */
    Bootstrap bootstrap(int defaultReplicates) {
        int b = bootstrap == null ? defaultReplicates : bootstrap;
        if (b < 0) {
            throw new IllegalArgumentException("--bootstrap " + b + " is negative: give 0 (off) or a number of "
                    + "replicates such as " + Bootstrap.DEFAULT_REPLICATES);
        }
        return new Bootstrap(b, bootstrapSeed);
    }
}
