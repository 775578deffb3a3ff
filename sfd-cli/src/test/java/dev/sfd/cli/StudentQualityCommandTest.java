package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.quality.Spread;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sfd student-quality} on two mixture2d students distilled with different --seed (short runs on
 * the built-in teacher, real ONNX Runtime): per-student lines with FD intervals, the mean ± sd line,
 * and the seed set named on every line.
 */
class StudentQualityCommandTest {

    @TempDir
    static Path dir;

    private static Path student(long seed) {
        Path out = dir.resolve("s" + seed + ".onnx");
        if (!out.toFile().exists()) {
            ByotFixtures.ok("distill", "--teacher", "mixture2d", "--nfe-set", "2", "--budget", "256", "--batch", "64",
                    "--seed", Long.toString(seed), "--out", out.toString(), "--no-progress");
        }
        return out;
    }

    @Test
    void severalStudentsGiveMeanAndSdOverThemOnTheDevelopmentSetByDefault() {
        Path a = student(1);
        Path b = student(2);
        String out = ByotFixtures.ok("student-quality", "--student", a + "," + b, "--samples", "200", "--nfe", "2",
                "--bootstrap", "50");
        assertTrue(out.contains("2 student(s), development set, 200 seeds 1000000…1000199"), out);
        assertTrue(out.contains("B = 50, seed 25"), out);
        List<String> rows = out.lines().filter(l -> l.endsWith("development@1000000")).toList();
        assertEquals(3, rows.size(), "two students and the mean: " + out);
        double fdA = firstValue(rows.get(0));
        double fdB = firstValue(rows.get(1));
        assertNotEquals(fdA, fdB, "different training seeds, different students");
        assertTrue(rows.get(0).startsWith("s1.onnx") && rows.get(0).matches(".* \\[[-0-9.e]+, [-0-9.e]+\\] .*"), out);
        Spread expected = Spread.of(fdA, fdB); // of the printed (5-digit) values, so equal to ~1e-4
        String[] mean = rows.get(2).substring("mean ± sd".length()).trim().split("\\s+");
        assertEquals("2", mean[0], rows.get(2));
        assertEquals("±", mean[2], rows.get(2));
        assertEquals(expected.mean(), Double.parseDouble(mean[1]), 1e-4 * expected.mean(), rows.get(2));
        assertEquals(expected.sd(), Double.parseDouble(mean[3]), 1e-3 * expected.sd(), rows.get(2));
    }

    @Test
    void theHeldOutSetAndAnOverrideAreNamedAndBothTogetherAreRefused() {
        Path a = student(1);
        String held = ByotFixtures.ok("student-quality", "--student", a.toString(), "--samples", "100", "--nfe", "2",
                "--seed-set", "held-out", "--bootstrap", "0");
        assertTrue(held.contains("held-out set, 100 seeds 500000000…500000099"), held);
        assertTrue(held.lines().anyMatch(l -> l.startsWith("s1.onnx") && l.endsWith("held-out@500000000")), held);
        String over = ByotFixtures.ok("student-quality", "--student", a.toString(), "--samples", "100", "--nfe", "2",
                "--seed-base", "500000", "--bootstrap", "0");
        assertTrue(over.contains("neither the development nor the held-out set"), over);
        Object[] both = ByotFixtures.run("student-quality", "--student", a.toString(), "--seed-set", "held-out",
                "--seed-base", "7");
        assertEquals(1, both[0]);
        assertTrue(((String) both[1]).contains("give one of them"), (String) both[1]);
        Object[] unknown = ByotFixtures.run("student-quality", "--student", a.toString(), "--seed-set", "test");
        assertEquals(1, unknown[0]);
        assertTrue(((String) unknown[1]).contains("'test' is not a seed set"), (String) unknown[1]);
    }

    private static double firstValue(String row) {
        return Double.parseDouble(row.trim().split("\\s+")[2]);
    }
}
