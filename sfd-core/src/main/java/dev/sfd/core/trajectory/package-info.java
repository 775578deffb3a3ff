/**
 * Teacher trajectories on topic {@code sfd.trajectories}, record contract v2: one
 * {@link dev.sfd.core.trajectory.TrajectoryBlock} of B trajectories per Kafka record, its binary
 * format ({@link dev.sfd.core.trajectory.TrajectoryBlockCodec}), its few Kafka headers
 * ({@link dev.sfd.core.trajectory.TrajectoryKafkaHeaders}) and the set of applied trajectories a
 * trainer keeps as ranges ({@link dev.sfd.core.trajectory.RowSet}).
 */
package dev.sfd.core.trajectory;
