package dev.sfd.core.diffusion.schedule;

/** Time-uniform schedule: {@code t_i = t_min + i/N·(t_max − t_min)}. */
public record TimeUniformSchedule(double tMin, double tMax) implements Schedule {

    public TimeUniformSchedule {
        Schedule.checkRange("time-uniform schedule", tMin, tMax, true);
    }

    @Override
    public String name() {
        return "time-uniform(t∈[" + tMin + ", " + tMax + "])";
    }

    @Override
    public double coordinate(double t) {
        return t;
    }

    @Override
    public double time(double u) {
        return u;
    }
}
