package dev.sfd.core.metrics;

import dev.sfd.core.prompt.PromptCondition;
import dev.sfd.core.teachers.ShapesLabels;

/**
 * Prompt accuracy of generated shapes images: an image is correct when the classifier sees the
 * prompt's colour AND shape; for partial prompts only the named attributes count (an
 * unconditional prompt is always satisfied).
 */
public final class PromptAccuracy {

    private PromptAccuracy() {
    }

    /** Fraction of images whose predictions satisfy their label's prompt ({@link ShapesLabels}). */
    public static double of(ShapesClassifier.Predictions predictions, int[] labels) {
        if (predictions.colours().length != labels.length) {
            throw new IllegalArgumentException(predictions.colours().length + " predictions for " + labels.length
                    + " labels");
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += satisfies(predictions.colours()[i], predictions.shapes()[i], ShapesLabels.condition(labels[i]))
                    ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** Whether predicted (colour, shape) ordinals satisfy {@code prompt}. */
    public static boolean satisfies(int colour, int shape, PromptCondition prompt) {
        return (prompt.colour() == null || prompt.colour().ordinal() == colour)
                && (prompt.shape() == null || prompt.shape().ordinal() == shape);
    }
}
