package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sfd distill} with stored teacher trajectories on the built-in mixture2d teacher: write
 * them once (--save-trajectories, no student), train from them for two epochs with the recipe
 * flags, and score the student with {@code sfd student-quality}.
 */
class DistillTrajectoriesCommandTest {

    @TempDir
    Path dir;

    @Test
    void saveThenReplayForTwoEpochsThenScore() throws Exception {
        Path traj = dir.resolve("m.traj");
        String gen = ByotFixtures.ok("distill", "--teacher", "mixture2d", "--nfe-set", "2,3", "--budget", "256",
                "--batch", "64", "--save-trajectories", traj.toString(), "--no-progress");
        assertTrue(gen.contains("teacher trajectories: 256 in"), gen);
        assertTrue(gen.contains("recipe for 'mixture2d'"), gen);
        assertTrue(Files.size(traj) > 256 * 3 * 2 * 4, "file size " + Files.size(traj));
        Path student = dir.resolve("s.onnx");
        String train = ByotFixtures.ok("distill", "--teacher", "mixture2d", "--nfe-set", "2,3", "--batch", "64",
                "--trajectories", traj.toString(), "--epochs", "2", "--loss", "pseudo-huber", "--ema-half-life", "5",
                "--lr-schedule", "cosine", "--out", student.toString(), "--no-progress");
        assertTrue(train.contains("read 256 stored trajectories"), train);
        assertTrue(train.contains("(trainer only): 512 trajectories"), train);
        assertTrue(Files.isRegularFile(student));
        String score = ByotFixtures.ok("student-quality", "--student", student.toString(), "--samples", "200",
                "--nfe", "2");
        assertTrue(score.lines().anyMatch(l -> l.startsWith("s.onnx") && l.contains(" 2 ")
                && l.endsWith("development@1000000")), score);
        Object[] bad = ByotFixtures.run("distill", "--teacher", "mixture2d", "--nfe-set", "2,3", "--k", "4",
                "--trajectories", traj.toString(), "--out", dir.resolve("x.onnx").toString(), "--no-progress");
        assertEquals(1, bad[0]);
        assertTrue(((String) bad[1]).contains("do not fit"), (String) bad[1]);
    }
}
