package dev.sfd.core.distill;

import dev.sfd.core.diffusion.schedule.LogSnrUniformSchedule;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.schedule.TimeUniformSchedule;
import java.util.List;
import java.util.Locale;

/**
 * A time schedule Γ(N) by its parameters (SFD.md "Time schedule"), so it can be stored in a
 * checkpoint and rebuilt: kind "polynomial" (ρ, EDM default 7), "time-uniform" or "logsnr-uniform",
 * on [t_min, t_max].
 */
public record ScheduleSpec(String kind, double tMin, double tMax, double rho) {

    public static final List<String> KINDS = List.of("polynomial", "time-uniform", "logsnr-uniform");

    public ScheduleSpec {
        kind = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown schedule '" + kind + "'; known schedules: " + KINDS);
        }
        if (!(tMin < tMax)) {
            throw new IllegalArgumentException("schedule " + kind + ": t_min must be < t_max, got t_min = " + tMin
                    + ", t_max = " + tMax);
        }
        create(kind, tMin, tMax, rho); // validates the range and ρ
    }

    public static ScheduleSpec polynomial(double tMin, double tMax) {
        return new ScheduleSpec("polynomial", tMin, tMax, PolynomialSchedule.DEFAULT_RHO);
    }

    /** The schedule itself. */
    public Schedule schedule() {
        return create(kind, tMin, tMax, rho);
    }

    private static Schedule create(String kind, double tMin, double tMax, double rho) {
        return switch (kind) {
            case "polynomial" -> new PolynomialSchedule(tMin, tMax, rho);
            case "time-uniform" -> new TimeUniformSchedule(tMin, tMax);
            default -> new LogSnrUniformSchedule(tMin, tMax);
        };
    }
}
