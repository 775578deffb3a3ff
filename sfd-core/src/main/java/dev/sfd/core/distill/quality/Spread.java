package dev.sfd.core.distill.quality;

import java.util.function.DoubleFunction;

/**
 * Mean and sample standard deviation (divisor n − 1) of one figure over several students, e.g.
 * students distilled with different {@code --seed}: "21.5 ± 3.2 (n = 3)".
 *
 * @param mean mean of the values
 * @param sd   sample standard deviation (NaN for one value)
 * @param n    number of values
 */
public record Spread(double mean, double sd, int n) {

    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("mean ± sd of no values: give at least one student");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        if (values.length == 1) {
            return new Spread(mean, Double.NaN, 1);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Spread(mean, Math.sqrt(ss / (values.length - 1)), values.length);
    }

    /** "21.5 ± 3.2"; one value: just the value. */
    public String format(DoubleFunction<String> number) {
        return n == 1 ? number.apply(mean) : number.apply(mean) + " ± " + number.apply(sd);
    }
}
