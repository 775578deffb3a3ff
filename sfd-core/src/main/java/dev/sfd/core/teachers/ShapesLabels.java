package dev.sfd.core.teachers;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.prompt.PromptCondition;
import dev.sfd.core.prompt.PromptTokenizer;

/**
 * The shapes teacher's class ids: label = colourId·5 + shapeId − 1 for (colourId, shapeId) ≠
 * (0, 0), 24 classes covering colour-only, shape-only and both; ∅ = −1.
 */
public final class ShapesLabels {

    /** Number of classes C. */
    public static final int CLASSES = PromptCondition.CLASSES_PER_ATTRIBUTE * PromptCondition.CLASSES_PER_ATTRIBUTE - 1;

    private ShapesLabels() {
    }

    /** The label of a prompt condition (−1 for the unconditional one). */
    public static int of(PromptCondition c) {
        return of(c.colourId(), c.shapeId());
    }

    /** The label of (colourId, shapeId), each 0 = none. */
    public static int of(int colourId, int shapeId) {
        if (colourId == 0 && shapeId == 0) {
            return Condition.NULL_LABEL;
        }
        return colourId * PromptCondition.CLASSES_PER_ATTRIBUTE + shapeId - 1;
    }

    /** The label of a free-text prompt (parsed by {@link PromptTokenizer}). */
    public static int ofPrompt(String prompt) {
        return of(PromptTokenizer.parse(prompt));
    }

    /** Inverse of {@link #of(PromptCondition)}. */
    public static PromptCondition condition(int label) {
        if (label == Condition.NULL_LABEL) {
            return PromptCondition.UNCONDITIONAL;
        }
        if (label < 0 || label >= CLASSES) {
            throw new IllegalArgumentException("shapes label must be -1 or in 0.." + (CLASSES - 1) + ", got " + label);
        }
        int v = label + 1;
        return PromptCondition.fromIds(v / PromptCondition.CLASSES_PER_ATTRIBUTE, v % PromptCondition.CLASSES_PER_ATTRIBUTE);
    }
}
