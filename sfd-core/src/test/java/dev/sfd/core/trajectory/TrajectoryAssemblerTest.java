package dev.sfd.core.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.trajectory.TrajectoryAssemblyException.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrajectoryAssemblerTest {

    @Test
    void assemblesInterleavedTrajectoriesInAnyOrder() throws Exception {
        Map<String, List<TrajectorySegment>> byId = new HashMap<>();
        List<TrajectorySegment> all = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            String id = "t" + k;
            byId.put(id, TrajectoryFixtures.segments(id, 2 + k % 3));
            all.addAll(byId.get(id));
        }
        for (long shuffleSeed = 0; shuffleSeed < 20; shuffleSeed++) {
            List<TrajectorySegment> order = new ArrayList<>(all);
            Collections.shuffle(order, new Random(shuffleSeed));
            TrajectoryAssembler assembler = new TrajectoryAssembler();
            Map<String, Trajectory> done = new HashMap<>();
            for (int i = 0; i < order.size(); i++) {
                // Through the codec, as on the wire.
                TrajectorySegment s = TrajectorySegmentCodec.decode(TrajectorySegmentCodec.encode(order.get(i)));
                Optional<Trajectory> t = assembler.accept(s);
                if (t.isPresent()) {
                    assertTrue(done.put(t.get().id(), t.get()) == null, "each trajectory completes once");
                }
            }
            assertEquals(5, done.size());
            assertEquals(0, assembler.pendingCount());
            for (Trajectory t : done.values()) {
                List<TrajectorySegment> expected = byId.get(t.id());
                assertEquals(expected.get(0).header(), t.header());
                for (TrajectorySegment s : expected) {
                    assertEquals(s.tensor(), t.point(s.step()), t.id() + " step " + s.step());
                    assertEquals(s.timestamp(), t.timestamp(s.step()));
                }
            }
        }
    }

    @Test
    void completesOnlyOnTheLastMissingSegment() throws Exception {
        List<TrajectorySegment> segs = TrajectoryFixtures.segments("a", 3);
        TrajectoryAssembler assembler = new TrajectoryAssembler();
        assertTrue(assembler.accept(segs.get(3)).isEmpty());
        assertTrue(assembler.accept(segs.get(1)).isEmpty());
        assertTrue(assembler.accept(segs.get(0)).isEmpty());
        assertEquals(1, assembler.pendingCount());
        Trajectory t = assembler.accept(segs.get(2)).orElseThrow();
        assertEquals(3, t.steps());
        assertEquals(segs.get(0).tensor(), t.point(3), "x_N");
        assertEquals(segs.get(3).tensor(), t.point(0), "x̃_0");
    }

    @Test
    void duplicatesAreRejectedAndStateUnchanged() throws Exception {
        List<TrajectorySegment> segs = TrajectoryFixtures.segments("dup", 2);
        TrajectoryAssembler assembler = new TrajectoryAssembler();
        assembler.accept(segs.get(1));
        TrajectoryAssemblyException e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(segs.get(1)));
        assertEquals(Reason.DUPLICATE_SEGMENT, e.reason());
        assertEquals("dup", e.trajectoryId());
        assertTrue(e.getMessage().contains("segment 1 of 3 arrived twice (identical copy)"), e.getMessage());

        TrajectorySegment conflicting = TrajectorySegment.teacherPoint(segs.get(0).header(), 1, TrajectoryFixtures.point(99, 1));
        e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(conflicting));
        assertTrue(e.getMessage().contains("with different content"), e.getMessage());

        assembler.accept(segs.get(0));
        Trajectory t = assembler.accept(segs.get(2)).orElseThrow();
        assertEquals(segs.get(1).tensor(), t.point(1), "the first copy was kept");

        e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(segs.get(2)));
        assertEquals(Reason.ALREADY_COMPLETE, e.reason());
        assertEquals(0, assembler.pendingCount(), "a late duplicate does not start a new trajectory");
    }

    @Test
    void outOfRangeAndTotalMismatchRejected() throws Exception {
        TrajectoryAssembler assembler = new TrajectoryAssembler();
        assembler.accept(TrajectoryFixtures.segments("r", 2).get(1)); // 3 segments
        List<TrajectorySegment> longer = TrajectoryFixtures.segments("r", 4); // same id, 5 segments
        TrajectoryAssemblyException e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(longer.get(4)));
        assertEquals(Reason.INDEX_OUT_OF_RANGE, e.reason());
        assertTrue(e.getMessage().contains("segment index 4 but earlier segments say there are 3"), e.getMessage());
        e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(longer.get(2)));
        assertEquals(Reason.TOTAL_MISMATCH, e.reason());
    }

    @Test
    void timestampAndShapeMismatchRejected() throws Exception {
        List<TrajectorySegment> segs = TrajectoryFixtures.segments("m", 3);
        TrajectoryHeader h = segs.get(0).header();
        TrajectoryAssembler assembler = new TrajectoryAssembler();
        assembler.accept(segs.get(0));
        TrajectorySegment wrongT = new TrajectorySegment("m", 1, 4, 1.5, segs.get(1).tensor(), null);
        TrajectoryAssemblyException e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(wrongT));
        assertEquals(Reason.TIMESTAMP_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("t_2 = " + h.timestamp(2)), e.getMessage());

        TrajectorySegment wrongShape = TrajectorySegment.teacherPoint(h, 0, dev.sfd.core.tensor.FloatTensor.zeros(3, 8, 8));
        e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(wrongShape));
        assertEquals(Reason.SHAPE_MISMATCH, e.reason());
        assertEquals(1, assembler.pendingCount());
    }

    @Test
    void lateHeaderContradictingABufferedSegmentAbandonsTheTrajectory() throws Exception {
        List<TrajectorySegment> segs = TrajectoryFixtures.segments("late", 2);
        TrajectoryAssembler assembler = new TrajectoryAssembler();
        assembler.accept(new TrajectorySegment("late", 2, 3, 0.5, segs.get(2).tensor(), null)); // t_0 is 0.006
        TrajectoryAssemblyException e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(segs.get(0)));
        assertEquals(Reason.TIMESTAMP_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("abandoned"), e.getMessage());
        assertEquals(0, assembler.pendingCount());
        e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(segs.get(1)));
        assertEquals(Reason.ABANDONED, e.reason());
    }

    @Test
    void callerCanAbandonAPendingTrajectory() throws Exception {
        List<TrajectorySegment> segs = TrajectoryFixtures.segments("slow", 2);
        TrajectoryAssembler assembler = new TrajectoryAssembler();
        assembler.accept(segs.get(0));
        assertEquals(java.util.Set.of("slow"), assembler.pendingIds());
        assertTrue(assembler.abandon("slow", "timed out after 60 s"));
        TrajectoryAssemblyException e = assertThrows(TrajectoryAssemblyException.class, () -> assembler.accept(segs.get(1)));
        assertEquals(Reason.ABANDONED, e.reason());
        assertTrue(e.getMessage().contains("timed out after 60 s"), e.getMessage());
    }
}
