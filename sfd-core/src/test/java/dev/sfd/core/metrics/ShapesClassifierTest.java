package dev.sfd.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.Checksums;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The committed shapes classifier: held-out accuracy, FID sanity and prompt accuracy rules. */
class ShapesClassifierTest {

    @Test
    void committedClassifierIsAccurateOnHeldOutRealImages() throws Exception {
        byte[] bytes = Checksums.readVerified(ShapesClassifier.builtinFile());
        assertEquals(Checksums.sha256(Files.readAllBytes(ShapesClassifier.builtinFile())),
                Files.readString(Checksums.companion(ShapesClassifier.builtinFile())).trim());
        double accuracy = ShapesClassifierTrainer.heldOutAccuracy(OnnxModel.parse("classifier", bytes), 1000,
                SessionConfig.cpu(2));
        assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy);
    }

    @Test
    void fidSeparatesRealImagesFromNoise() {
        try (ShapesClassifier c = ShapesClassifier.openBuiltin(SessionConfig.cpu(2))) {
            FloatTensor real = ShapesFid.realImages(500, 77);
            double self = ShapesFid.between(c, real, real);
            double realVsReal = ShapesFid.toReal(c, real, 1000);
            FloatTensor noise = dev.sfd.core.diffusion.trajectory.SeededNoise.gaussian(
                    java.util.stream.LongStream.range(0, 500).toArray(), new long[] {3, ShapesDataset.SIZE, ShapesDataset.SIZE}, 0.5);
            double noiseVsReal = ShapesFid.toReal(c, noise, 1000);
            assertEquals(0, self, 1e-6);
            assertTrue(noiseVsReal > 20 * realVsReal, "real " + realVsReal + ", noise " + noiseVsReal);
        }
    }

    @Test
    void partialPromptsCountOnlyNamedAttributes() {
        var red = dev.sfd.core.prompt.PromptTokenizer.parse("red");
        var redCircle = dev.sfd.core.prompt.PromptTokenizer.parse("a red circle");
        assertTrue(PromptAccuracy.satisfies(0, 3, red));          // red ring satisfies "red"
        assertTrue(!PromptAccuracy.satisfies(0, 3, redCircle));   // but not "a red circle"
        assertTrue(PromptAccuracy.satisfies(2, 1, dev.sfd.core.prompt.PromptCondition.UNCONDITIONAL));
        var p = new ShapesClassifier.Predictions(new int[] {0, 1}, new int[] {0, 0}, FloatTensor.zeros(2, 64));
        int redCircleLabel = dev.sfd.core.teachers.ShapesLabels.of(redCircle);
        assertEquals(0.5, PromptAccuracy.of(p, new int[] {redCircleLabel, redCircleLabel}), 1e-12);
    }
}
