package dev.sfd.pipeline.trainer;

import dev.sfd.core.store.CheckpointManifest;
import java.util.Map;

/**
 * A checkpoint taken on the training thread, ready to be stored: the student ONNX bytes, the
 * trainer state bytes and the manifest draft (its version is assigned when it is stored).
 *
 * @param offsets partition → next offset to read: what the adapter may commit once this is stored
 */
public record CheckpointSnapshot(byte[] onnx, byte[] state, CheckpointManifest draft, Map<Integer, Long> offsets) {
}
