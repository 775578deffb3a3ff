package dev.sfd.pipeline.trainer;

/**
 * A record the trainer refuses, for the dead-letter topic.
 *
 * @param position where it came from
 * @param code     a stable class of the problem (e.g. CHECKSUM_MISMATCH, TEACHER_MISMATCH), for metrics
 * @param reason   what is wrong (field, bad value, rule) and what to do about it
 */
public record Rejection(RecordPosition position, String code, String reason) {
}
