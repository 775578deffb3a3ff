package dev.sfd.core.diffusion.schedule;

/**
 * logSNR-uniform schedule: in the VE form SNR = 1/t², so logSNR = −2·log t and equal logSNR
 * steps are equal steps in log t: {@code t_i = t_min·(t_max/t_min)^{i/N}} (equal steps in λ = −log t,
 * as DPM-Solver recommends).
 */
public record LogSnrUniformSchedule(double tMin, double tMax) implements Schedule {

    public LogSnrUniformSchedule {
        Schedule.checkRange("logSNR-uniform schedule", tMin, tMax, false);
    }

    @Override
    public String name() {
        return "logSNR-uniform(t∈[" + tMin + ", " + tMax + "])";
    }

    @Override
    public double coordinate(double t) {
        return Math.log(t);
    }

    @Override
    public double time(double u) {
        return Math.exp(u);
    }
}
