package dev.sfd.pipeline.trainer;

/**
 * One record of the trajectory topic as the stage sees it: its position, key (the block id) and
 * value (an encoded trajectory block). The adapter converts its transport's records into these.
 */
public record TrajectoryRecord(RecordPosition position, String key, byte[] value) {
}
