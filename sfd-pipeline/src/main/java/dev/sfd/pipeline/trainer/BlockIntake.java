package dev.sfd.pipeline.trainer;

import dev.sfd.core.trajectory.TrajectoryBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer thread's half of the trainer: decodes and validates records ({@link BlockValidator})
 * into {@link Item}s for the training thread. Holds no state, so it never waits on training; a
 * refused block is refused whole and leaves nothing behind.
 */
public final class BlockIntake {

    /** What one record became. */
    public sealed interface Item permits Accepted, Refused {
        RecordPosition position();
    }

    /** A valid block, with its encoded bytes (for the replay cache). */
    public record Accepted(RecordPosition position, TrajectoryBlock block, byte[] value) implements Item {
    }

    /** A refused record, for the dead-letter topic. */
    public record Refused(RecordPosition position, Rejection rejection) implements Item {
    }

    private final BlockValidator validator;

    public BlockIntake(TrajectoryExpectation expect) {
        this.validator = new BlockValidator(expect);
    }

    public Item check(TrajectoryRecord record) {
        try {
            return new Accepted(record.position(), validator.validate(record), record.value());
        } catch (BlockRejectedException e) {
            return new Refused(record.position(), new Rejection(record.position(), e.code(), e.getMessage()));
        }
    }

    public List<Item> checkAll(List<TrajectoryRecord> records) {
        List<Item> out = new ArrayList<>(records.size());
        for (TrajectoryRecord r : records) {
            out.add(check(r));
        }
        return out;
    }
}
