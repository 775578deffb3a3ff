package dev.sfd.core.distill.quality;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * A user's feature network for evaluation (e.g. an exported image encoder): its first input takes
 * samples [B, …sample shape], its first output is read as features [B, F] (flattened per sample).
 * Fréchet distances are then measured in that space.
 */
public final class FeatureExtractor implements AutoCloseable {

    private final String name;
    private final OrtSession session;
    private final String input;
    private final String output;

    public FeatureExtractor(Path file, SessionConfig config) {
        this.name = file.getFileName().toString();
        this.session = OrtSessions.open(file, config);
        try {
            this.input = session.getInputNames().iterator().next();
            this.output = session.getOutputNames().iterator().next();
        } catch (RuntimeException e) {
            close();
            throw new IllegalArgumentException("feature extractor '" + name + "' needs one input and one output");
        }
    }

    public String name() {
        return name;
    }

    /** Features of {@code samples}, [B, F], computed in chunks of 256. */
    public FloatTensor features(FloatTensor samples) {
        int b = samples.batch();
        int d = samples.sampleSize();
        float[] all = null;
        int width = -1;
        for (int from = 0; from < b; from += 256) {
            int to = Math.min(b, from + 256);
            long[] shape = samples.shape().clone();
            shape[0] = to - from;
            float[] part = java.util.Arrays.copyOfRange(samples.data(), from * d, to * d);
            try (OnnxTensor x = OrtTensors.of(part, shape); OrtSession.Result r = session.run(Map.of(input, x))) {
                FloatTensor f = OrtTensors.toFloatTensor((OnnxTensor) r.get(output).orElseThrow());
                if (all == null) {
                    width = f.sampleSize();
                    all = new float[b * width];
                }
                System.arraycopy(f.data(), 0, all, from * width, f.data().length);
            } catch (OrtException e) {
                throw new IllegalStateException("feature extractor '" + name + "' failed on samples "
                        + samples.shapeString() + ": " + e.getMessage(), e);
            }
        }
        return new FloatTensor(new long[] {b, width}, all);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session releases native memory only; nothing to recover
        }
    }
}
