package dev.sfd.pipeline.trainer;

import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.TrainerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The newest complete checkpoint of a student, to resume from: a version whose manifest exists
 * (written last), that carries a trainer state, and whose {@code student.onnx} and trainer state
 * both match their sizes and SHA-256. A damaged newer version is skipped (and said so) in favour
 * of an older complete one.
 */
public record ResumePoint(CheckpointManifest manifest, byte[] onnx, TrainerState state) {

    private static final Logger LOG = Logger.getLogger(ResumePoint.class.getName());

    /** Also returns the newest version number seen (complete or not): new versions must follow it. */
    public record Found(Optional<ResumePoint> point, long newestVersion, List<String> skipped) {
    }

    public static Found newest(CheckpointStore store, String student) {
        List<Long> versions = new ArrayList<>(store.versions(student));
        long newest = versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
        List<String> skipped = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            long v = versions.get(i);
            try {
                CheckpointManifest m = store.manifest(student, v);
                if (!m.resumable()) {
                    skipped.add("v" + v + ": no trainer state (not written by student-trainer)");
                    continue;
                }
                byte[] onnx = store.fetch(m);
                TrainerState state = TrainerState.fromBytes(store.fetchState(m));
                return new Found(Optional.of(new ResumePoint(m, onnx, state)), newest, skipped);
            } catch (RuntimeException e) {
                String why = "v" + v + ": " + e.getMessage();
                LOG.warning("not resuming from " + student + " " + why + "; trying an older version");
                skipped.add(why);
            }
        }
        return new Found(Optional.empty(), newest, skipped);
    }
}
