package dev.sfd.faults;

import dev.sfd.core.trajectory.CorruptBlockException;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import dev.sfd.pipeline.teacher.TrajectoryIds;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The trajectories a record of {@code sfd.trajectories} (one trajectory block, record contract v2) carries. */
final class TrajectoryRows {

    private TrajectoryRows() {
    }

    /** Trajectory ids {@code <prompt id>/<index>/<seed>} of the block in {@code r}, in row order. */
    static List<String> ids(ConsumerRecord<String, byte[]> r) {
        try {
            TrajectoryBlock b = TrajectoryBlockCodec.decode(r.value());
            List<String> out = new ArrayList<>(b.rows());
            for (int i = 0; i < b.rows(); i++) {
                out.add(b.trajectoryId(i));
            }
            return out;
        } catch (CorruptBlockException e) {
            throw new AssertionError("record " + r.partition() + "@" + r.offset() + " of " + r.topic()
                    + " is not a trajectory block: " + e.getMessage(), e);
        }
    }

    /** Sample indices of {@code promptId}'s trajectories in {@code r}. */
    static List<Integer> indicesOf(ConsumerRecord<String, byte[]> r, String promptId) {
        List<Integer> out = new ArrayList<>();
        for (String id : ids(r)) {
            TrajectoryIds.Parts p = TrajectoryIds.parse(id);
            if (p.promptId().equals(promptId)) {
                out.add(p.index());
            }
        }
        return out;
    }
}
