package dev.sfd.pipeline;

import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.teachers.ShapesLabels;

/**
 * Turns a prompt's text into the teacher's class label (−1 = ∅, unconditional) for one data set;
 * a prompt the data set cannot mean throws {@link dev.sfd.core.prompt.PromptException} with the reason.
 */
@FunctionalInterface
public interface PromptLabeler {

    int label(String prompt);

    static PromptLabeler forDataset(String dataset) {
        return switch (dataset) {
            case "mixture2d" -> Mixture2d.ring()::labelForPrompt;
            case "shapes" -> ShapesLabels::ofPrompt;
            default -> throw new IllegalArgumentException("no prompt vocabulary for data set '" + dataset
                    + "' (known: mixture2d, shapes)");
        };
    }
}
