/**
 * Teacher trajectories on topic {@code sfd.trajectories}: one {@link dev.sfd.core.trajectory.TrajectorySegment}
 * per Kafka record (key = trajectory id), its binary value format
 * ({@link dev.sfd.core.trajectory.TrajectorySegmentCodec}), its Kafka headers
 * ({@link dev.sfd.core.trajectory.TrajectoryKafkaHeaders}) and reassembly into complete
 * {@link dev.sfd.core.trajectory.Trajectory} objects ({@link dev.sfd.core.trajectory.TrajectoryAssembler}).
 */
package dev.sfd.core.trajectory;
