package dev.sfd.pipeline.trainer;

/** A block record's rows not yet trained or dropped; the record is finished when none is left. */
final class BlockHold {

    final RecordPosition position;
    int open;

    BlockHold(RecordPosition position, int open) {
        this.position = position;
        this.open = open;
    }
}
