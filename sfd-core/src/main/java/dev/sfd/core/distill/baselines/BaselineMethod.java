package dev.sfd.core.distill.baselines;

import java.util.Locale;

/**
 * The distillation method a student file records under {@link #METADATA_KEY}: SFD itself
 * (Algorithm 2 of SFD.md), its second stage (one step), or one of the baselines it is compared with
 * at equal fine-tuning cost.
 */
public enum BaselineMethod {
    /** SFD, Algorithm 2: the student follows its own trajectory beside the teacher's. */
    SFD("sfd"),
    /** SFD's second stage: the teacher is a first-stage student (Euler over a few of its steps). */
    SFD_SECOND_STAGE("sfd-second-stage"),
    /** Algorithm 1 of SFD.md, "trajectory distillation": noised data points, one teacher Solver(K) step as target. */
    TD("td"),
    /** Consistency distillation (Song et al. 2023): one teacher ODE step, then the target network. */
    CD("cd");

    /** Student metadata key naming the method ({@code sfd}, {@code td}, {@code cd}, {@code sfd-second-stage}). */
    public static final String METADATA_KEY = "sfd.student.method";
    /** Second stage: SHA-256 of the first-stage student that served as its teacher. */
    public static final String FIRST_STAGE_SHA256 = "sfd.student.first_stage_sha256";
    /** Second stage: the first-stage student's step count N used as the teacher (Euler on Γ(N)). */
    public static final String FIRST_STAGE_STEPS = "sfd.student.first_stage_steps";

    private final String id;

    BaselineMethod(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The method named {@code name} (sfd, td, cd); an error naming the known ones otherwise. */
    public static BaselineMethod of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (BaselineMethod m : values()) {
            if (m.id.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown distillation method '" + name + "'; known: sfd (Algorithm 2), "
                + "td (trajectory distillation, Algorithm 1), cd (consistency distillation)");
    }
}
