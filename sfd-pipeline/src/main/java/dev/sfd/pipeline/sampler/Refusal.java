package dev.sfd.pipeline.sampler;

import java.time.Instant;

/** A checkpoint the live model refused, and why (kept for ModelInfo and the logs). */
public record Refusal(long version, String sha256, String reason, Instant at) {
}
