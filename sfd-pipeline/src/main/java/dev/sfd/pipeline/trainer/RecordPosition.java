package dev.sfd.pipeline.trainer;

/** Where a record sits in the trajectory topic: partition and offset (no Kafka types here). */
public record RecordPosition(int partition, long offset) implements Comparable<RecordPosition> {

    public RecordPosition {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("record position needs partition >= 0 and offset >= 0, got "
                    + partition + "@" + offset);
        }
    }

    @Override
    public int compareTo(RecordPosition o) {
        return partition != o.partition ? Integer.compare(partition, o.partition) : Long.compare(offset, o.offset);
    }

    @Override
    public String toString() {
        return partition + "@" + offset;
    }
}
