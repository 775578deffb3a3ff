package dev.sfd.core.diffusion.schedule;

/**
 * The EDM polynomial schedule (Karras et al. 2022, eq. 5):
 * {@code t_i = (t_min^{1/ρ} + i/N·(t_max^{1/ρ} − t_min^{1/ρ}))^ρ}, uniform in u = t^{1/ρ}; ρ = 7 by default.
 */
public record PolynomialSchedule(double tMin, double tMax, double rho) implements Schedule {

    public static final double DEFAULT_RHO = 7;

    public PolynomialSchedule {
        Schedule.checkRange("polynomial schedule", tMin, tMax, true);
        if (!(rho > 0) || !Double.isFinite(rho)) {
            throw new IllegalArgumentException("polynomial schedule: ρ must be finite and > 0, got " + rho);
        }
    }

    public PolynomialSchedule(double tMin, double tMax) {
        this(tMin, tMax, DEFAULT_RHO);
    }

    @Override
    public String name() {
        return "polynomial(ρ=" + rho + ", t∈[" + tMin + ", " + tMax + "])";
    }

    @Override
    public double coordinate(double t) {
        return Math.pow(t, 1 / rho);
    }

    @Override
    public double time(double u) {
        return Math.pow(u, rho);
    }
}
