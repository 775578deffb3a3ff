package dev.sfd.core.diffusion.schedule;

/**
 * The schedule of a discrete VP model (e.g. Stable Diffusion): uniform in the (fractional)
 * discrete timestep, with t = σ(u) from the ᾱ table, as DDIM-style samplers space their steps.
 * By default it spans the table's whole range [σ_0, σ_{n−1}]; a narrower [t_min, t_max] inside it
 * may be given (e.g. t_min ≈ 0.1 for SD as in SFD.md).
 */
public final class DiscreteVpSchedule implements Schedule {

    private final AlphaBarTable table;
    private final double tMin;
    private final double tMax;

    public DiscreteVpSchedule(AlphaBarTable table) {
        this(table, table.sigmaMin(), table.sigmaMax());
    }

    public DiscreteVpSchedule(AlphaBarTable table, double tMin, double tMax) {
        Schedule.checkRange("discrete VP schedule", tMin, tMax, false);
        if (tMin < table.sigmaMin() * (1 - 1e-9) || tMax > table.sigmaMax() * (1 + 1e-9)) {
            throw new IllegalArgumentException("discrete VP schedule: [" + tMin + ", " + tMax
                    + "] is not inside the ᾱ table's σ range [" + table.sigmaMin() + ", " + table.sigmaMax() + "]");
        }
        this.table = table;
        this.tMin = tMin;
        this.tMax = tMax;
    }

    public AlphaBarTable table() {
        return table;
    }

    @Override
    public String name() {
        return "discrete-vp(" + table.size() + " steps, t∈[" + tMin + ", " + tMax + "])";
    }

    @Override
    public double tMin() {
        return tMin;
    }

    @Override
    public double tMax() {
        return tMax;
    }

    @Override
    public double coordinate(double t) {
        return table.timestepOf(t);
    }

    @Override
    public double time(double u) {
        return table.sigmaAt(u);
    }
}
