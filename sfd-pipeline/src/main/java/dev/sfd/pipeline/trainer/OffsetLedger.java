package dev.sfd.pipeline.trainer;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which records of each partition are finished with: a record is open from {@link #received}
 * until {@link #done} (trained, dropped as a duplicate, given up, or dead-lettered). The
 * {@link #committable()} offset of a partition is the lowest open offset, or one past the highest
 * received when none is open: every record below it is finished with, so a checkpoint taken now
 * covers it. Records of a partition arrive in offset order (one consumer per partition); offsets
 * skipped by the log (transaction markers, compaction) are simply never received.
 * Not thread-safe.
 */
public final class OffsetLedger {

    private static final class Partition {
        long start = -1;          // where reading (re)started: committable when nothing was received
        long highest = -1;        // highest offset received
        final TreeSet<Long> open = new TreeSet<>();
    }

    private final Map<Integer, Partition> partitions = new TreeMap<>();

    /** Reading of {@code partition} starts at {@code offset} (a resume point or a new pass). */
    public void start(int partition, long offset) {
        Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
        if (p.highest < 0 && p.open.isEmpty()) {
            p.start = offset;
        }
    }

    public void received(RecordPosition pos) {
        Partition p = partitions.computeIfAbsent(pos.partition(), k -> new Partition());
        p.open.add(pos.offset());
        p.highest = Math.max(p.highest, pos.offset());
    }

    public void done(RecordPosition pos) {
        Partition p = partitions.get(pos.partition());
        if (p == null || !p.open.remove(pos.offset())) {
            throw new IllegalStateException("record " + pos + " finished but it was never received or is already "
                    + "finished: the trainer's bookkeeping is wrong, please report this");
        }
    }

    public void doneAll(Iterable<RecordPosition> positions) {
        positions.forEach(this::done);
    }

    /** Partition → next offset to read after a restart; partitions never read are absent. */
    public Map<Integer, Long> committable() {
        Map<Integer, Long> out = new TreeMap<>();
        partitions.forEach((id, p) -> {
            if (!p.open.isEmpty()) {
                out.put(id, p.open.first());
            } else if (p.highest >= 0) {
                out.put(id, p.highest + 1);
            } else if (p.start >= 0) {
                out.put(id, p.start);
            }
        });
        return out;
    }

    /** Where to continue reading {@code partition} in this process: past everything received, or -1 if unknown. */
    public long nextToRead(int partition) {
        Partition p = partitions.get(partition);
        if (p == null) {
            return -1;
        }
        return p.highest >= 0 ? p.highest + 1 : p.start;
    }

    /** Records received and not yet finished with, over all partitions. */
    public int openCount() {
        return partitions.values().stream().mapToInt(p -> p.open.size()).sum();
    }

    /** Forgets everything (a new replay pass reads from the beginning). */
    public void clear() {
        partitions.clear();
    }
}
