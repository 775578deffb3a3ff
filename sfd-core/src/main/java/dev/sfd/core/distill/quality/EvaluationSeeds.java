package dev.sfd.core.distill.quality;

import java.util.Arrays;
import java.util.Locale;

/**
 * The seeds (and labels) a quality evaluation samples on, from a fixed split decided once
 * (issue 25, docs/quality-recipe.md "Evaluation seeds"):
 * <ul>
 *   <li><b>development</b>: seeds {@value #DEVELOPMENT_BASE} + i — the set every recipe search so
 *       far used, and the one recipe search keeps using;</li>
 *   <li><b>held-out</b>: seeds {@value #HELD_OUT_BASE} + i — for the figures the README reports;
 *       never used to choose a knob.</li>
 * </ul>
 * The rule: each set owns the range [base, base + {@value #MAX_SAMPLES}); an evaluation (or the
 * disjoint blocks of a stability measurement) stays inside its set's range, so development and
 * held-out seeds never overlap for any sample count up to {@value #MAX_SAMPLES}. Both ranges lie
 * below the project's other fixed seed ranges (1e9 for {@code sfd teacher evaluate}, 5e9 for the
 * classifier's held-out images, 6e9 for the real images of the shapes FD); training draws its seeds
 * as full 64-bit SplitMix64 words. A {@code --seed-base} override is neither set and says so.
 * Sample i is conditioned on label i mod C (balanced classes), counted from the first seed.
 *
 * @param kind    development, held-out or an override
 * @param base    first seed
 * @param samples number of seeds
 */
public record EvaluationSeeds(Kind kind, long base, int samples) {

    /** First seed of the development set (the seeds of every recipe search before issue 25). */
    public static final long DEVELOPMENT_BASE = 1_000_000L;
    /** First seed of the held-out set. */
    public static final long HELD_OUT_BASE = 500_000_000L;
    /** Width of each set's range: the largest sample count (or blocks × block size) it serves. */
    public static final int MAX_SAMPLES = 100_000_000;

    /** Which set. */
    public enum Kind {
        DEVELOPMENT("development", DEVELOPMENT_BASE),
        HELD_OUT("held-out", HELD_OUT_BASE),
        OVERRIDE("seed-base override", -1);

        private final String label;
        private final long base;

        Kind(String label, long base) {
            this.label = label;
            this.base = base;
        }

        public String label() {
            return label;
        }

        /** development | held-out (case-insensitive; "heldout" and "held_out" too). */
        public static Kind parse(String name) {
            String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            return switch (n) {
                case "development", "dev" -> DEVELOPMENT;
                case "held-out", "heldout" -> HELD_OUT;
                default -> throw new IllegalArgumentException("--seed-set '" + name + "' is not a seed set: the sets are "
                        + "'development' (recipe search, seeds from " + DEVELOPMENT_BASE + ") and 'held-out' (reported "
                        + "figures, seeds from " + HELD_OUT_BASE + "); for other seeds give --seed-base instead");
            };
        }
    }

    public EvaluationSeeds {
        if (kind == null) {
            throw new IllegalArgumentException("evaluation seeds need a set (development, held-out or an override)");
        }
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("evaluation samples " + samples + " out of range: give 1 … " + MAX_SAMPLES
                    + " (each seed set owns " + MAX_SAMPLES + " seeds)");
        }
        if (kind == Kind.OVERRIDE) {
            if (base < 0 || base > Long.MAX_VALUE - samples) {
                throw new IllegalArgumentException("--seed-base " + base + " with " + samples + " samples: the seeds must "
                        + "lie in 0 … " + Long.MAX_VALUE + "; give a smaller non-negative --seed-base");
            }
        } else if (base < kind.base || base + samples > kind.base + MAX_SAMPLES) {
            throw new IllegalArgumentException(kind.label + " seeds " + base + " … " + (base + samples - 1) + " leave the "
                    + kind.label + " range " + kind.base + " … " + (kind.base + MAX_SAMPLES - 1) + "; use fewer samples");
        }
    }

    /** The first {@code samples} seeds of a set. */
    public static EvaluationSeeds of(Kind kind, int samples) {
        if (kind == Kind.OVERRIDE) {
            throw new IllegalArgumentException("an override needs its base: use EvaluationSeeds.override(base, samples)");
        }
        return new EvaluationSeeds(kind, kind.base, samples);
    }

    public static EvaluationSeeds development(int samples) {
        return of(Kind.DEVELOPMENT, samples);
    }

    public static EvaluationSeeds heldOut(int samples) {
        return of(Kind.HELD_OUT, samples);
    }

    /** Seeds base … base + samples − 1 outside the split (--seed-base). */
    public static EvaluationSeeds override(long base, int samples) {
        return new EvaluationSeeds(Kind.OVERRIDE, base, samples);
    }

    /**
     * Block {@code j} of disjoint blocks of {@code blockSize} seeds inside this set's range: seeds
     * base + j·blockSize + i, i &lt; n (n ≤ blockSize), so blocks never share a seed and block j
     * with n samples is the first n of block j with more.
     */
    public EvaluationSeeds block(int j, int blockSize, int n) {
        if (j < 0 || n < 1 || n > blockSize) {
            throw new IllegalArgumentException("seed block " + j + " of size " + blockSize + " with " + n
                    + " samples: need j ≥ 0 and 1 ≤ samples ≤ block size");
        }
        return new EvaluationSeeds(kind, Math.addExact(base, Math.multiplyExact((long) j, blockSize)), n);
    }

    /** Seed of sample {@code i}. */
    public long seed(int i) {
        return base + i;
    }

    public long[] seeds() {
        long[] s = new long[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = base + i;
        }
        return s;
    }

    /** Labels i mod {@code classes} (balanced), or null for an unconditional model (classes ≤ 0). */
    public int[] labels(int classes) {
        if (classes <= 0) {
            return null;
        }
        int[] l = new int[samples];
        for (int i = 0; i < samples; i++) {
            l[i] = i % classes;
        }
        return l;
    }

    /** Last seed. */
    public long last() {
        return base + samples - 1;
    }

    public boolean overlaps(EvaluationSeeds other) {
        return base <= other.last() && other.base <= last();
    }

    /**
     * For every report line: "held-out seeds 500000000…500000999"; an override adds that it is
     * neither set and which set it overlaps.
     */
    public String describe() {
        String range = samples + " seeds " + base + "…" + last();
        if (kind != Kind.OVERRIDE) {
            return kind.label + " set, " + range;
        }
        String overlap = Arrays.stream(new Kind[] {Kind.DEVELOPMENT, Kind.HELD_OUT})
                .filter(k -> overlaps(new EvaluationSeeds(k, k.base, MAX_SAMPLES)))
                .map(k -> "overlaps the " + k.label + " range").reduce((a, b) -> a + " and " + b)
                .orElse("overlaps neither range");
        return range + " (--seed-base override: neither the development nor the held-out set; " + overlap + ")";
    }

    /** Short form for table columns: "held-out@500000000", "override@500000". */
    public String tag() {
        return (kind == Kind.OVERRIDE ? "override" : kind.label) + "@" + base;
    }
}
