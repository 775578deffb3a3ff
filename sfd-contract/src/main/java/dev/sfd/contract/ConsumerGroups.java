package dev.sfd.contract;

/** Default consumer group ids of the services (configurable; these are what `sfd lag` shows by default). */
public final class ConsumerGroups {

    public static final String TEACHER = "sfd-teacher";
    public static final String TRAINER = "sfd-student-trainer";
    /** The sampler reads checkpoint events; every replica in a group of its own (see sampler-service). */
    public static final String SAMPLER_PREFIX = "sfd-sampler-";

    private ConsumerGroups() {
    }
}
