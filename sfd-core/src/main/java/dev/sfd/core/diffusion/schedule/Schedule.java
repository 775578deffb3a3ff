package dev.sfd.core.diffusion.schedule;

/**
 * A time schedule Γ(N): {@code t_0 = t_min < t_1 < … < t_N = t_max} (SFD.md "Time schedule").
 *
 * <p>Every schedule here is uniform in its own monotone coordinate {@code u(t)} (t^{1/ρ} for the
 * polynomial/EDM schedule, t for time-uniform, log t for logSNR-uniform, the fractional discrete
 * timestep for discrete VP). That one idea gives both Γ(N) and the teacher's refined grid: K
 * sub-steps between two student timestamps are K equal steps in u, so the K-times refined grid
 * contains every student timestamp exactly, and refining Γ(N) by K is Γ(N·K).
 * Schedules know nothing about solvers: any solver runs on any schedule.
 */
public interface Schedule {

    /** Short name, e.g. "polynomial(ρ=7)". */
    String name();

    double tMin();

    double tMax();

    /** The schedule's coordinate u(t), strictly increasing in t. */
    double coordinate(double t);

    /** Inverse of {@link #coordinate}. */
    double time(double u);

    /** Γ(N) ascending, length N + 1, with t_0 = t_min and t_N = t_max exactly. */
    default double[] timestamps(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(name() + ": the number of steps N must be >= 1, got " + n);
        }
        double u0 = coordinate(tMin());
        double u1 = coordinate(tMax());
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = time(u0 + (double) i / n * (u1 - u0)); // uniform in u
        }
        t[0] = tMin();
        t[n] = tMax();
        return t;
    }

    /** Γ(N) descending (t_N first): the order solvers integrate in. */
    default double[] timestampsDescending(int n) {
        return reverse(timestamps(n));
    }

    /**
     * The K-times refined grid of an ascending grid: each interval split into K equal steps in u,
     * every original timestamp kept exactly. Length (len − 1)·K + 1.
     */
    default double[] refine(double[] ascending, int k) {
        if (k < 1) {
            throw new IllegalArgumentException(name() + ": the refinement K must be >= 1, got " + k);
        }
        if (ascending.length < 2) {
            throw new IllegalArgumentException(name() + ": a grid to refine needs at least 2 timestamps, got "
                    + ascending.length);
        }
        double[] out = new double[(ascending.length - 1) * k + 1];
        for (int i = 0; i + 1 < ascending.length; i++) {
            double[] seg = between(ascending[i + 1], ascending[i], k);
            for (int j = 0; j < k; j++) {
                out[i * k + j] = seg[k - j];
            }
        }
        out[out.length - 1] = ascending[ascending.length - 1];
        return out;
    }

    /**
     * The teacher's sub-grid from student timestamp {@code tHigh} = t_{n+1} down to {@code tLow} =
     * t_n: K + 1 descending timestamps, equal steps in u, both ends exact.
     */
    default double[] between(double tHigh, double tLow, int k) {
        if (k < 1) {
            throw new IllegalArgumentException(name() + ": the refinement K must be >= 1, got " + k);
        }
        requireInRange(tHigh, "t_{n+1}");
        requireInRange(tLow, "t_n");
        if (!(tLow < tHigh)) {
            throw new IllegalArgumentException(name() + ": need t_n < t_{n+1}, got t_n = " + tLow
                    + ", t_{n+1} = " + tHigh);
        }
        double uHigh = coordinate(tHigh);
        double uLow = coordinate(tLow);
        double[] t = new double[k + 1];
        for (int j = 0; j <= k; j++) {
            t[j] = time(uHigh + (double) j / k * (uLow - uHigh));
        }
        t[0] = tHigh;
        t[k] = tLow;
        return t;
    }

    /** Throws naming the schedule unless t_min <= t <= t_max (up to 1e-9 relative). */
    default void requireInRange(double t, String what) {
        double slack = 1e-9 * tMax();
        if (!Double.isFinite(t) || t < tMin() - slack || t > tMax() + slack) {
            throw new IllegalArgumentException(name() + ": " + what + " = " + t + " is outside the schedule range ["
                    + tMin() + ", " + tMax() + "]");
        }
    }

    /** Validates a (t_min, t_max) pair for a schedule constructor. */
    static void checkRange(String schedule, double tMin, double tMax, boolean tMinMayBeZero) {
        if (!Double.isFinite(tMin) || !Double.isFinite(tMax)) {
            throw new IllegalArgumentException(schedule + ": t_min and t_max must be finite, got " + tMin + ", " + tMax);
        }
        if (tMinMayBeZero ? tMin < 0 : tMin <= 0) {
            throw new IllegalArgumentException(schedule + ": t_min must be " + (tMinMayBeZero ? ">= 0" : "> 0")
                    + ", got " + tMin);
        }
        if (tMin >= tMax) {
            throw new IllegalArgumentException(schedule + ": t_min must be < t_max, got t_min = " + tMin
                    + ", t_max = " + tMax);
        }
    }

    static double[] reverse(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }
}
