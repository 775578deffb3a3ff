package dev.sfd.core.distill;

import dev.sfd.core.onnx.SessionConfig;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child-process entry of {@link StudentCheckpointTest}: loads a student file and prints, per
 * requested N, "N nfe t_N … t_0" and the first sample of a seeded draw, as the sampler uses them.
 */
public final class PrintStudentTimestamps {

    private PrintStudentTimestamps() {
    }

    public static void main(String[] args) {
        StudentCheckpoint cp = StudentCheckpoint.load(Path.of(args[0]));
        try (StudentSampler sampler = new StudentSampler(cp, SessionConfig.cpu(1))) {
            for (int i = 1; i < args.length; i++) {
                int n = Integer.parseInt(args[i]);
                StudentSample s = sampler.sample(new long[] {7, 8}, new int[] {1, 2}, n, 1.0);
                System.out.println(n + " " + s.nfe() + " " + Arrays.toString(s.timestamps()) + " "
                        + Arrays.toString(s.samples().data()));
            }
        }
    }
}
