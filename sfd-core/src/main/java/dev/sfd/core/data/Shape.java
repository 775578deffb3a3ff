package dev.sfd.core.data;

/**
 * The four shape kinds of the {@link ShapesDataset}. The order is part of the contract: a shape's
 * class id for networks is {@code ordinal() + 1} (id 0 means "no shape", see
 * {@code dev.sfd.core.prompt.PromptCondition}).
 */
public enum Shape {
    CIRCLE, SQUARE, TRIANGLE, RING;

    /** Lower-case English word used in canonical prompts, e.g. {@code "circle"}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
