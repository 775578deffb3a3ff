package dev.sfd.core.prompt;

import dev.sfd.core.data.Colour;
import dev.sfd.core.data.Shape;
import java.util.Optional;

/**
 * What a prompt asks for: an optional colour and an optional shape. Both absent is the
 * unconditional ∅ condition used for classifier-free guidance.
 *
 * <p><b>Encodings for networks.</b>
 * <ul>
 *   <li>Class ids: {@link #colourId()} and {@link #shapeId()}, each 0 = none, otherwise
 *       {@code ordinal() + 1} (colour 1 red, 2 green, 3 blue, 4 yellow; shape 1 circle, 2 square,
 *       3 triangle, 4 ring).</li>
 *   <li>Embedding: {@link #embedding()}, {@value #EMBEDDING_SIZE} floats = one-hot colour id (5)
 *       followed by one-hot shape id (5). The unconditional embedding is therefore
 *       {@code [1,0,0,0,0, 1,0,0,0,0]}, not all zeros.</li>
 * </ul>
 *
 * @param colour the colour, or {@code null} for "any colour"
 * @param shape  the shape, or {@code null} for "any shape"
 */
public record PromptCondition(Colour colour, Shape shape) {

    /** Number of class ids per attribute, including 0 = none. */
    public static final int CLASSES_PER_ATTRIBUTE = 5;
    /** Length of {@link #embedding()}. */
    public static final int EMBEDDING_SIZE = 2 * CLASSES_PER_ATTRIBUTE;
    /** The unconditional (∅) condition. */
    public static final PromptCondition UNCONDITIONAL = new PromptCondition(null, null);

    public Optional<Colour> colourOpt() {
        return Optional.ofNullable(colour);
    }

    public Optional<Shape> shapeOpt() {
        return Optional.ofNullable(shape);
    }

    public boolean isUnconditional() {
        return colour == null && shape == null;
    }

    /** 0 = none, 1…4 = red, green, blue, yellow. */
    public int colourId() {
        return colour == null ? 0 : colour.ordinal() + 1;
    }

    /** 0 = none, 1…4 = circle, square, triangle, ring. */
    public int shapeId() {
        return shape == null ? 0 : shape.ordinal() + 1;
    }

    /** {@code [colourId, shapeId]}. */
    public int[] classIds() {
        return new int[] {colourId(), shapeId()};
    }

    /** One-hot colour id (5) ⊕ one-hot shape id (5). */
    public float[] embedding() {
        float[] e = new float[EMBEDDING_SIZE];
        e[colourId()] = 1f;
        e[CLASSES_PER_ATTRIBUTE + shapeId()] = 1f;
        return e;
    }

    /** Inverse of {@link #colourId()} / {@link #shapeId()}. */
    public static PromptCondition fromIds(int colourId, int shapeId) {
        if (colourId < 0 || colourId >= CLASSES_PER_ATTRIBUTE || shapeId < 0 || shapeId >= CLASSES_PER_ATTRIBUTE) {
            throw new IllegalArgumentException("class ids must be in 0.." + (CLASSES_PER_ATTRIBUTE - 1)
                    + ", got colour id " + colourId + ", shape id " + shapeId);
        }
        return new PromptCondition(colourId == 0 ? null : Colour.values()[colourId - 1],
                shapeId == 0 ? null : Shape.values()[shapeId - 1]);
    }

    /**
     * The canonical prompt: "a red circle", "a red shape" (colour only), "a circle" (shape only),
     * "" (unconditional). {@link PromptTokenizer#parse} maps it back to this condition.
     */
    public String canonicalText() {
        if (isUnconditional()) {
            return "";
        }
        String noun = shape == null ? "shape" : shape.word();
        return colour == null ? "a " + noun : "a " + colour.word() + " " + noun;
    }

    @Override
    public String toString() {
        return isUnconditional() ? "∅ (unconditional)" : canonicalText();
    }
}
