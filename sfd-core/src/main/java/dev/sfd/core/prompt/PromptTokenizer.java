package dev.sfd.core.prompt;

import dev.sfd.core.data.Colour;
import dev.sfd.core.data.Shape;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns prompt text into a {@link PromptCondition} for the shapes data set.
 *
 * <p><b>Rules</b>, applied in order:
 * <ol>
 *   <li>Prompts longer than {@value #MAX_CHARS} characters are rejected.</li>
 *   <li>Text is lower-cased (locale-independent); every character that is not a letter or digit
 *       becomes a space; words are the runs between spaces. More than {@value #MAX_WORDS} words
 *       are rejected.</li>
 *   <li>Each word is looked up in the table below; a word not found that ends in "s" is looked
 *       up again without it (plurals: "circles"). Words still not found are ignored ("a",
 *       "please", "shape", …).</li>
 *   <li>Repeating the same colour or shape is fine; two different colours, or two different
 *       shapes, is an error.</li>
 * </ol>
 * A prompt with no known word (including "") is the unconditional condition.
 *
 * <p><b>Vocabulary.</b>
 * <pre>
 *   red      red, scarlet, crimson
 *   green    green, lime, emerald
 *   blue     blue, navy, azure
 *   yellow   yellow, gold, golden
 *   circle   circle, disc, disk, dot
 *   square   square, box
 *   triangle triangle, triangular
 *   ring     ring, donut, doughnut, annulus, hoop
 * </pre>
 */
public final class PromptTokenizer {

    /** Longest accepted prompt, in characters (UTF-16 code units). */
    public static final int MAX_CHARS = 200;
    /** Most words accepted in one prompt. */
    public static final int MAX_WORDS = 32;

    private static final Map<String, Colour> COLOURS = Map.ofEntries(
            Map.entry("red", Colour.RED), Map.entry("scarlet", Colour.RED), Map.entry("crimson", Colour.RED),
            Map.entry("green", Colour.GREEN), Map.entry("lime", Colour.GREEN), Map.entry("emerald", Colour.GREEN),
            Map.entry("blue", Colour.BLUE), Map.entry("navy", Colour.BLUE), Map.entry("azure", Colour.BLUE),
            Map.entry("yellow", Colour.YELLOW), Map.entry("gold", Colour.YELLOW), Map.entry("golden", Colour.YELLOW));

    private static final Map<String, Shape> SHAPES = Map.ofEntries(
            Map.entry("circle", Shape.CIRCLE), Map.entry("disc", Shape.CIRCLE), Map.entry("disk", Shape.CIRCLE),
            Map.entry("dot", Shape.CIRCLE),
            Map.entry("square", Shape.SQUARE), Map.entry("box", Shape.SQUARE),
            Map.entry("triangle", Shape.TRIANGLE), Map.entry("triangular", Shape.TRIANGLE),
            Map.entry("ring", Shape.RING), Map.entry("donut", Shape.RING), Map.entry("doughnut", Shape.RING),
            Map.entry("annulus", Shape.RING), Map.entry("hoop", Shape.RING));

    private PromptTokenizer() {
    }

    /**
     * Parses {@code prompt} into a condition.
     *
     * @throws PromptException if the prompt is too long or names two colours or two shapes
     * @throws NullPointerException if {@code prompt} is null (use "" for unconditional)
     */
    public static PromptCondition parse(String prompt) {
        Objects.requireNonNull(prompt, "prompt (use \"\" for unconditional)");
        if (prompt.length() > MAX_CHARS) {
            throw new PromptException("prompt is " + prompt.length() + " characters long; the limit is "
                    + MAX_CHARS + " characters: " + quote(prompt));
        }
        String[] words = words(prompt);
        if (words.length > MAX_WORDS) {
            throw new PromptException("prompt has " + words.length + " words; the limit is " + MAX_WORDS
                    + " words: " + quote(prompt));
        }
        Colour colour = null;
        Shape shape = null;
        for (String word : words) {
            Colour c = lookup(COLOURS, word);
            Shape s = lookup(SHAPES, word);
            if (c != null) {
                if (colour != null && colour != c) {
                    throw new PromptException("prompt names two colours, " + colour.word() + " and " + c.word()
                            + " (from \"" + word + "\"); use at most one: " + quote(prompt));
                }
                colour = c;
            }
            if (s != null) {
                if (shape != null && shape != s) {
                    throw new PromptException("prompt names two shapes, " + shape.word() + " and " + s.word()
                            + " (from \"" + word + "\"); use at most one: " + quote(prompt));
                }
                shape = s;
            }
        }
        return new PromptCondition(colour, shape);
    }

    /** The normalised words of {@code prompt} (lower case, punctuation removed). */
    public static String[] words(String prompt) {
        StringBuilder cleaned = new StringBuilder(prompt.length());
        prompt.toLowerCase(Locale.ROOT).codePoints()
                .map(cp -> Character.isLetterOrDigit(cp) ? cp : ' ')
                .forEach(cleaned::appendCodePoint);
        String trimmed = cleaned.toString().trim();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    }

    private static <T> T lookup(Map<String, T> table, String word) {
        T found = table.get(word);
        if (found == null && word.length() > 1 && word.endsWith("s")) {
            found = table.get(word.substring(0, word.length() - 1));
        }
        return found;
    }

    private static String quote(String prompt) {
        String shown = prompt.length() > 60 ? prompt.substring(0, 60) + "…" : prompt;
        return "\"" + shown + "\"";
    }
}
