package dev.sfd.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.diffusion.schedule.DiscreteVpSchedule;
import dev.sfd.core.diffusion.schedule.LogSnrUniformSchedule;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.schedule.TimeUniformSchedule;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final Schedule[] ALL = {
        new PolynomialSchedule(0.002, 80), new TimeUniformSchedule(0.002, 80), new LogSnrUniformSchedule(0.002, 80),
        new DiscreteVpSchedule(AlphaBarTable.stableDiffusion()),
    };

    @Test
    void gridsAreAscendingWithExactEnds() {
        for (Schedule s : ALL) {
            for (int n : new int[] {1, 2, 4, 18}) {
                double[] t = s.timestamps(n);
                assertEquals(n + 1, t.length);
                assertEquals(s.tMin(), t[0]);
                assertEquals(s.tMax(), t[n]);
                for (int i = 1; i <= n; i++) {
                    assertTrue(t[i] > t[i - 1], s.name() + " not ascending at " + i);
                }
            }
        }
    }

    @Test
    void polynomialScheduleIsTheEdmFormula() {
        PolynomialSchedule s = new PolynomialSchedule(0.002, 80, 7);
        double[] t = s.timestamps(5);
        for (int i = 0; i <= 5; i++) {
            double expected = Math.pow(Math.pow(0.002, 1 / 7.0) + i / 5.0 * (Math.pow(80, 1 / 7.0) - Math.pow(0.002, 1 / 7.0)), 7);
            assertEquals(expected, t[i], 1e-12 * expected);
        }
        double[] lu = new LogSnrUniformSchedule(0.01, 100).timestamps(4);
        assertEquals(1.0, lu[2], 1e-12); // geometric midpoint
    }

    @Test
    void refinedGridContainsEveryStudentTimestampAndEqualsTheFinerGrid() {
        for (Schedule s : ALL) {
            double[] student = s.timestamps(4);
            double[] fine = s.refine(student, 3);
            assertEquals(13, fine.length);
            for (int i = 0; i < student.length; i++) {
                assertEquals(student[i], fine[3 * i], 0.0, s.name() + ": student t_" + i + " kept exactly");
            }
            double[] direct = s.timestamps(12);
            for (int i = 0; i < direct.length; i++) {
                assertEquals(direct[i], fine[i], 1e-9 * direct[i], s.name() + " refine(Γ(4), 3) = Γ(12)");
            }
            double[] seg = s.between(student[2], student[1], 4);
            assertEquals(student[2], seg[0], 0.0);
            assertEquals(student[1], seg[4], 0.0);
        }
    }
}
