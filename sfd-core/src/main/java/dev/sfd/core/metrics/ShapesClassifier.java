package dev.sfd.core.metrics;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.core.teachers.Checksums;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * The shapes classifier at inference: predicted colour and shape of images [B, 3, 16, 16] and
 * their penultimate features (for {@link ShapesFid}). The committed classifier is
 * {@code models/classifiers/shapes-classifier.onnx} (checksum-verified).
 */
public final class ShapesClassifier implements AutoCloseable {

    /** File name of the committed classifier under {@code models/classifiers}. */
    public static final String FILE = "shapes-classifier.onnx";

    /**
     * @param colours  predicted colour ordinal per image (0 red … 3 yellow)
     * @param shapes   predicted shape ordinal per image (0 circle … 3 ring)
     * @param features [B, {@value ShapesClassifierNet#FEATURES}]
     */
    public record Predictions(int[] colours, int[] shapes, FloatTensor features) {
    }

    private final String name;
    private final OrtSession session;

    private ShapesClassifier(String name, OrtSession session) {
        this.name = name;
        this.session = session;
    }

    public static ShapesClassifier open(OnnxModel model, SessionConfig config) {
        return new ShapesClassifier(model.name(), OrtSessions.open(model.name(), model.toBytes(), config));
    }

    /** The committed classifier file. */
    public static Path builtinFile() {
        return BuiltinTeachers.modelsDir().resolve("classifiers").resolve(FILE);
    }

    /** Opens the committed classifier after checking its checksum. */
    public static ShapesClassifier openBuiltin(SessionConfig config) {
        Path file = builtinFile();
        if (!file.toFile().isFile()) {
            throw new IllegalStateException("shapes classifier " + file
                    + " does not exist (train it with 'sfd teacher classifier')");
        }
        return open(OnnxModel.parse(file.toString(), Checksums.readVerified(file)), config);
    }

    /** Classifies images in batches of at most 256. */
    public Predictions classify(FloatTensor images) {
        images.requireFinite("images for the shapes classifier");
        int n = images.batch();
        int per = images.sampleSize();
        if (per != ShapesDataset.CHANNELS * ShapesDataset.SIZE * ShapesDataset.SIZE) {
            throw new IllegalArgumentException("shapes classifier takes [B, 3, 16, 16] images, got " + images.shapeString());
        }
        int[] colours = new int[n];
        int[] shapes = new int[n];
        float[] features = new float[n * ShapesClassifierNet.FEATURES];
        for (int from = 0; from < n; from += 256) {
            int to = Math.min(n, from + 256);
            float[] chunk = java.util.Arrays.copyOfRange(images.data(), from * per, to * per);
            try (OnnxTensor in = OrtTensors.of(chunk, to - from, ShapesDataset.CHANNELS, ShapesDataset.SIZE,
                    ShapesDataset.SIZE);
                 OrtSession.Result r = session.run(Map.of(ShapesClassifierNet.IMAGE, in))) {
                float[] logits = OrtTensors.toFloatTensor((OnnxTensor) r.get(ShapesClassifierNet.LOGITS).orElseThrow()).data();
                float[] f = OrtTensors.toFloatTensor((OnnxTensor) r.get(ShapesClassifierNet.FEATURES_OUTPUT).orElseThrow()).data();
                System.arraycopy(f, 0, features, from * ShapesClassifierNet.FEATURES, f.length);
                for (int i = 0; i < to - from; i++) {
                    colours[from + i] = argmax(logits, i * 8, 4);
                    shapes[from + i] = argmax(logits, i * 8 + 4, 4);
                }
            } catch (OrtException e) {
                throw new IllegalStateException("shapes classifier '" + name + "' failed on " + images.shapeString()
                        + ": " + e.getMessage(), e);
            }
        }
        return new Predictions(colours, shapes, new FloatTensor(new long[] {n, ShapesClassifierNet.FEATURES}, features));
    }

    private static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[offset + i] > v[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close shapes classifier '" + name + "'", e);
        }
    }
}
