package dev.sfd.pipeline.teacher;

import dev.sfd.core.data.Colour;
import dev.sfd.core.data.Shape;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.prompt.PromptException;
import dev.sfd.core.prompt.PromptTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The words a built-in teacher understands: its data set's vocabulary (shapes: colours and shapes
 * of {@link PromptTokenizer} with their synonyms and plurals; mixture2d: the mode names and colours)
 * plus a few filler words. A prompt with any other word is refused, so that a typo ("a rde circle")
 * is not silently turned into a different condition. Words are {@link PromptTokenizer#words}
 * (lower case, split at every character that is not a letter or digit).
 */
public final class PromptVocabulary {

    /** Filler words every built-in vocabulary accepts. */
    public static final Set<String> FILLER = Set.of("a", "an", "the", "one", "some", "of", "in", "on", "with", "and",
            "any", "please", "unconditional");
    private static final Set<String> SHAPES_FILLER = Set.of("shape", "shapes", "object", "objects", "colour", "color",
            "coloured", "colored", "image", "picture");
    private static final Set<String> MIXTURE_FILLER = Set.of("mode", "point", "points", "dot", "dots", "sample",
            "samples", "near", "at", "side");

    private final String dataset;
    private final Predicate<String> known;
    private final String described;

    private PromptVocabulary(String dataset, Predicate<String> known, String described) {
        this.dataset = dataset;
        this.known = known;
        this.described = described;
    }

    /** The vocabulary of a built-in data set, or empty for data sets without one (external teachers). */
    public static java.util.Optional<PromptVocabulary> forDataset(String dataset) {
        return switch (dataset) {
            case "shapes" -> java.util.Optional.of(new PromptVocabulary(dataset,
                    w -> FILLER.contains(w) || SHAPES_FILLER.contains(w)
                            || !PromptTokenizer.parse(w).isUnconditional(),
                    "colours " + Arrays.stream(Colour.values()).map(Colour::word).toList() + ", shapes "
                            + Arrays.stream(Shape.values()).map(Shape::word).toList()
                            + " (with synonyms and plurals) and filler words like 'a', 'shape'"));
            case "mixture2d" -> {
                Mixture2d data = Mixture2d.ring();
                List<String> names = new ArrayList<>();
                data.modes().forEach(m -> {
                    names.add(m.name());
                    names.add(m.color());
                });
                yield java.util.Optional.of(new PromptVocabulary(dataset,
                        w -> FILLER.contains(w) || MIXTURE_FILLER.contains(w)
                                || data.labelForPrompt(w) != Condition.NULL_LABEL,
                        "the mode names and colours " + names + " and filler words like 'a', 'mode'"));
            }
            default -> java.util.Optional.empty();
        };
    }

    /** Throws {@link PromptException} naming the unknown words of {@code prompt}, if any. */
    public void requireKnown(String promptId, String prompt) {
        List<String> unknown = Arrays.stream(PromptTokenizer.words(prompt)).filter(known.negate()).distinct().toList();
        if (!unknown.isEmpty()) {
            throw new PromptException("prompt record '" + promptId + "' has word(s) the " + dataset
                    + " teacher does not know: " + String.join(", ", unknown) + " (in \"" + shorten(prompt)
                    + "\"); use " + described);
        }
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
