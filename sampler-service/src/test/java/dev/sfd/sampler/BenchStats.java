package dev.sfd.sampler;

import java.util.Arrays;

/** Latency samples in nanoseconds, and their percentiles in milliseconds (benchmark helper). */
final class BenchStats {

    private long[] ns = new long[1024];
    private int n;

    void add(long nanos) {
        if (n == ns.length) {
            ns = Arrays.copyOf(ns, n * 2);
        }
        ns[n++] = nanos;
    }

    void addAll(BenchStats other) {
        for (int i = 0; i < other.n; i++) {
            add(other.ns[i]);
        }
    }

    int count() {
        return n;
    }

    /** The {@code q} quantile (0..1) in milliseconds. */
    double ms(double q) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(ns, n);
        Arrays.sort(sorted);
        return sorted[Math.min(n - 1, (int) Math.floor(q * n))] / 1e6;
    }

    double p50() {
        return ms(0.5);
    }

    double p99() {
        return ms(0.99);
    }

    double max() {
        return ms(1.0);
    }

    String p50p99() {
        return String.format("%.3f / %.3f", p50(), p99());
    }
}
