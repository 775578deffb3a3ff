package dev.sfd.contract;

/** Default consumer group ids of the services (configurable; these are what `sfd lag` shows by default). */
public final class ConsumerGroups {

    public static final String TEACHER = "sfd-teacher";
    public static final String TRAINER = "sfd-student-trainer";
    /**
     * The prefix of the per-start groups older samplers left behind. The sampler now reads checkpoint
     * events without a consumer group (partition assigned, seeked to the end), so it creates none.
     */
    public static final String SAMPLER_PREFIX = "sfd-sampler-";

    private ConsumerGroups() {
    }
}
