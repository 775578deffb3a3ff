package dev.sfd.pipeline.trainer;

/**
 * One record of the trajectory topic as the stage sees it: its position, key (the trajectory id)
 * and value (an encoded segment). The adapter converts its transport's records into these.
 */
public record SegmentRecord(RecordPosition position, String key, byte[] value) {
}
