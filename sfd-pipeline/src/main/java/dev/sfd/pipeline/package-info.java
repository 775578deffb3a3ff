/**
 * The stage logic of the pipeline, once, in plain Java: no Kafka, no CDI types. The Quarkus services
 * are thin adapters around it (channels, gRPC, health, metrics) and {@code sfd distill} uses it in
 * process. Sub-packages: {@code teacher} (prompt → jobs → trajectory segments), {@code trainer}
 * (segments → trajectories → shuffle buffer → SFD steps → checkpoints), {@code sampler} (the live
 * model: load, verify, warm up, swap, batch).
 */
package dev.sfd.pipeline;
