package dev.sfd.core.data;

/**
 * The four colours of the {@link ShapesDataset}, with their RGB value in [0, 1]. The order is
 * part of the contract: a colour's class id for networks is {@code ordinal() + 1} (id 0 means
 * "no colour", see {@code dev.sfd.core.prompt.PromptCondition}).
 *
 * <p>Colours are saturated so that each has an unambiguous dominant channel: red → R, green → G,
 * blue → B, yellow → R and G together (B low).
 */
public enum Colour {
    RED(1.0f, 0.15f, 0.1f),
    GREEN(0.1f, 0.9f, 0.15f),
    BLUE(0.15f, 0.25f, 1.0f),
    YELLOW(1.0f, 0.9f, 0.1f);

    private final float r;
    private final float g;
    private final float b;

    Colour(float r, float g, float b) {
        this.r = r;
        this.g = g;
        this.b = b;
    }

    /** Channel value in [0, 1]; channel 0 = R, 1 = G, 2 = B. */
    public float channel(int c) {
        return switch (c) {
            case 0 -> r;
            case 1 -> g;
            case 2 -> b;
            default -> throw new IllegalArgumentException("RGB channel must be 0, 1 or 2, got " + c);
        };
    }

    /** Lower-case English word used in canonical prompts, e.g. {@code "red"}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
