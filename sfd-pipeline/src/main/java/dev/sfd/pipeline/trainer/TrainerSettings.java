package dev.sfd.pipeline.trainer;

import java.nio.file.Path;

/**
 * The trainer stage's own settings (the SFD recipe itself is an {@code SfdConfig}).
 *
 * @param student        student name: checkpoints go to {@code students/<student>/<version>/}
 * @param topic          the trajectory topic (recorded in manifests beside the offsets)
 * @param shuffleWindow  trajectories of one N held before a random batch is drawn (≥ batch)
 * @param shuffleSeed    seed of the shuffle buffer's random draws (recorded)
 * @param replayPasses   passes over the trajectories (pass 2 on replays the local block cache)
 * @param replayCacheDir where the local block cache lives (used only with more than one pass)
 * @param checkpoints    when to checkpoint
 * @param codeVersion    written into every manifest
 */
public record TrainerSettings(String student, String topic, int shuffleWindow, long shuffleSeed, int replayPasses,
                              Path replayCacheDir, CheckpointPolicy checkpoints, String codeVersion) {

    public TrainerSettings {
        if (student == null || !student.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("sfd.trainer.student-name '" + student + "' must be 1-63 characters of "
                    + "a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        if (replayPasses < 1) {
            throw new IllegalArgumentException("sfd.trainer.replay-passes must be >= 1, got " + replayPasses);
        }
    }
}
