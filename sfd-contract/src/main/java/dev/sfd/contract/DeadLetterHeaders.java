package dev.sfd.contract;

/**
 * The one dead-letter contract of every topic: a dead letter is the original record (key, value,
 * headers) plus these headers.
 */
public final class DeadLetterHeaders {

    /** Why the record was refused, in words that say what to fix. */
    public static final String REASON = "sfd.dlq.reason";
    /** Where it came from: {@code topic/partition@offset}. */
    public static final String SOURCE = "sfd.dlq.source";

    private DeadLetterHeaders() {
    }

    /** The {@link #SOURCE} value for a record. */
    public static String source(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }
}
