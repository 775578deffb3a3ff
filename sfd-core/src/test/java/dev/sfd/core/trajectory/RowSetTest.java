package dev.sfd.core.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowSetTest {

    @Test
    void aWholePromptIsOneRangeWhateverTheOrderItWasAppliedIn() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(5));
        RowSet s = new RowSet();
        order.forEach(i -> assertTrue(s.add("p-1", i, 42 + i)));
        assertFalse(s.add("p-1", 17, 59), "a row applied twice is seen");
        assertEquals(List.of("0-4095~42:p-1"), s.toRanges());
        assertEquals(4096, s.size());
    }

    @Test
    void rangesRoundTripAndExpandToTrajectoryIds() {
        RowSet s = new RowSet();
        s.add("a:b", 0, 10);
        s.add("a:b", 1, 11);
        s.add("a:b", 5, 15);
        s.add("q", 3, 0); // another seed offset
        RowSet back = RowSet.fromRanges(s.toRanges());
        assertEquals(s.toRanges(), back.toRanges());
        assertEquals(new HashSet<>(List.of("a:b/0/10", "a:b/1/11", "a:b/5/15", "q/3/0")),
                new HashSet<>(back.trajectoryIds()));
        assertTrue(back.contains("a:b", 5, 15));
        assertFalse(back.contains("a:b", 5, 16), "same index, other seed: another trajectory");
        assertTrue(back.remove("a:b", 5, 15));
        assertEquals(3, back.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RowSet.fromRanges(List.of("7~p")));
        assertTrue(e.getMessage().contains("<from>-<to>~<seedOffset>:<prompt id>"), e.getMessage());
    }
}
