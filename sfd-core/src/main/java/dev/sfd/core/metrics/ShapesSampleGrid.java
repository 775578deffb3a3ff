package dev.sfd.core.metrics;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.image.ImageGrid;
import dev.sfd.core.teachers.ShapesLabels;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled PNG grid of a shapes sampler's images: one row per prompt (full, partial or empty),
 * one column per seed, the same seeds in every row.
 */
public final class ShapesSampleGrid {

    /** Prompts of the committed teacher grid: full prompts, colour-only, shape-only and ∅. */
    public static final List<String> PROMPTS = List.of("a red circle", "a green square", "a blue triangle",
            "a yellow ring", "red", "blue", "triangle", "ring", "");

    private ShapesSampleGrid() {
    }

    public static ImageGrid render(SeededSampler sampler, List<String> prompts, long[] seeds, int scale) {
        ImageGrid grid = new ImageGrid(prompts.size(), seeds.length, scale);
        for (int r = 0; r < prompts.size(); r++) {
            FloatTensor images = sampler.sample(seeds, Condition.repeatLabel(ShapesLabels.ofPrompt(prompts.get(r)),
                    seeds.length));
            for (int c = 0; c < seeds.length; c++) {
                grid.set(r, c, new FloatTensor(new long[] {1, 3, 16, 16}, images.sample(c)));
            }
        }
        List<String> rows = new ArrayList<>();
        prompts.forEach(p -> rows.add(p.isEmpty() ? "(empty)" : p));
        List<String> cols = new ArrayList<>();
        for (long s : seeds) {
            cols.add(Long.toString(s));
        }
        return grid.rowLabels(rows).columnLabels(cols);
    }
}
