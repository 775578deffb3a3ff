package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.baselines.BaselineMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sfd distill --method sfd|td|cd} and {@code --second-stage} on the built-in mixture2d teacher
 * with tiny budgets: each writes a student that records its method and that {@code sfd evaluate}
 * reads unchanged; the second-stage student samples at NFE 1.
 */
class DistillMethodsTest {

    @TempDir
    Path dir;

    private Path distill(String method, String... extra) {
        Path out = dir.resolve(method + ".onnx");
        List<String> args = new java.util.ArrayList<>(List.of("distill", "--teacher", "mixture2d", "--method", method,
                "--nfe-set", "2,3", "--solver", "dpm++2m", "--k", "4", "--batch", "128", "--budget", "1024",
                "--no-progress", "--out", out.toString()));
        args.addAll(List.of(extra));
        String log = ByotFixtures.ok(args.toArray(String[]::new));
        assertTrue(log.contains("wrote " + out), log);
        return out;
    }

    @Test
    void everyMethodWritesAStudentThatRecordsIt() {
        for (String m : List.of("sfd", "td", "cd")) {
            Path out = distill(m);
            StudentCheckpoint cp = StudentCheckpoint.load(out);
            assertEquals(m, cp.model().metadata().get(BaselineMethod.METADATA_KEY));
            assertEquals(List.of(3, 4), cp.metadata().stepCounts());
        }
        String ev = ByotFixtures.ok("evaluate", "--student", dir.resolve("td.onnx").toString(), "--teacher", "mixture2d",
                "--nfe", "2", "--samples", "300", "--high-nfe", "16", "--plot", dir.resolve("td.png").toString());
        assertTrue(ev.contains("method td"), ev);
        assertTrue(ev.contains("FD (300 samples; held-out set, 300 seeds 500000000…500000299)"), "the default set: " + ev);
        assertTrue(ev.matches("(?s).*\\d \\[[-0-9.e]+, [-0-9.e]+\\].*"), "FD with its interval: " + ev);
        for (String metric : List.of("FD", "precision", "recall", "density", "coverage")) {
            Map<String, Double> row = ByotFixtures.row(ev, metric, 2);
            assertTrue(row.get("student") >= 0, metric + ": " + row);
        }
        Object[] bad = ByotFixtures.run("distill", "--teacher", "mixture2d", "--method", "gan", "--budget", "256",
                "--batch", "128", "--out", dir.resolve("x.onnx").toString());
        assertEquals(1, bad[0]);
        assertTrue(((String) bad[1]).contains("unknown distillation method 'gan'"), (String) bad[1]);
    }

    @Test
    void secondStageTrainsAOneStepStudentFromTheFirstStudent() {
        Path first = distill("sfd");
        Path second = dir.resolve("one-step.onnx");
        String log = ByotFixtures.ok("distill", "--teacher", first.toString(), "--second-stage", "--batch", "128",
                "--budget", "512", "--lr", "1e-4", "--no-progress", "--out", second.toString());
        assertTrue(log.contains("Euler over N1 = 4 steps") && log.contains("NFE 1"), log);
        StudentCheckpoint cp = StudentCheckpoint.load(second);
        assertEquals("sfd-second-stage", cp.model().metadata().get(BaselineMethod.METADATA_KEY));
        assertEquals(List.of(2), cp.metadata().stepCounts());
        String ev = ByotFixtures.ok("evaluate", "--student", second.toString(), "--teacher", "mixture2d", "--nfe", "1",
                "--samples", "300", "--high-nfe", "16", "--plot", dir.resolve("one.png").toString());
        assertTrue(ev.contains("method sfd-second-stage (teacher: first-stage student"), ev);
        assertFalse(ev.contains("warning: teacher"), ev); // the original teacher is recognised
        Map<String, Double> nfe1 = ByotFixtures.row(ev, "FD", 1);
        assertTrue(nfe1.get("student") >= 0, ev);
        assertTrue(nfe1.get("euler") >= 0, ev);
    }
}
