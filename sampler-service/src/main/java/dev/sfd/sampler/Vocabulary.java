package dev.sfd.sampler;

import dev.sfd.core.data.Colour;
import dev.sfd.core.data.Shape;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.sfd.pipeline.sampler.TextPipeline;

/** The words a served student's teacher understands, for the playground page (by data set). */
final class Vocabulary {

    private Vocabulary() {
    }

    /**
     * A text-to-image student's: free text its pipeline's tokenizer knows; examples from the pipeline's
     * {@code captions.json} when it has one.
     */
    static Map<String, Object> ofText(TextPipeline text, List<String> examples) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("hint", "free text for the text-to-image student of '" + text.id() + "': words its tokenizer knows, at "
                + "most " + text.maxTokens() + " tokens (a longer prompt is cut and flagged); empty = unconditional");
        v.put("groups", Map.of());
        v.put("examples", examples);
        return v;
    }

    /** {@code {hint, groups: {name: [words]}, examples: [prompts]}}. */
    static Map<String, Object> of(String dataset, int classes) {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        switch (dataset) {
            case "mixture2d" -> {
                List<String> names = new ArrayList<>();
                List<String> colours = new ArrayList<>();
                for (Mixture2d.Mode m : Mixture2d.ring().modes()) {
                    names.add(m.name());
                    colours.add(m.color());
                }
                groups.put("mode (compass)", names);
                groups.put("mode (colour)", colours);
                examples.addAll(List.of("north", "the south-west mode", "blue"));
                v.put("hint", "one of 8 modes on a ring, named by compass direction or colour (whole words)");
            }
            case "shapes" -> {
                groups.put("colour", Arrays.stream(Colour.values()).map(Colour::word).toList());
                groups.put("shape", Arrays.stream(Shape.values()).map(Shape::word).toList());
                examples.addAll(List.of("a red circle", "blue square", "triangle", "yellow"));
                v.put("hint", "at most one colour and one shape; synonyms such as scarlet, navy, disc, box, donut "
                        + "and plurals work, other words are ignored");
            }
            default -> v.put("hint", classes > 0 ? "no prompt vocabulary: send a class label 0.." + (classes - 1)
                    : "unconditional student: leave the prompt empty");
        }
        v.put("groups", groups);
        v.put("examples", examples);
        return v;
    }
}
