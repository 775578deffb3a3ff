package dev.sfd.core.teachers;

import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.LayerNorm;
import dev.sfd.core.onnx.nn.Linear;
import dev.sfd.core.onnx.nn.TransformerBlock;

/**
 * The {@code shapes} teacher: an EDM-preconditioned DiT-style transformer on p×p patches of the
 * 16×16 RGB image. Tokens = Linear(patch) + learned positions; every block is conditioned on
 * c = time embedding + label embedding, by adaLN-Zero ({@link AdaLnTransformerBlock}, kind
 * {@code dit-adaln}) or by adding a projection of c to the tokens (kind {@code dit}); LN (adaLN
 * modulated) → zero-initialised Linear → un-patchify gives F; ε from {@link EdmPreconditioning}. Inputs x [B, 3, 16, 16], t [B], cond int64 [B].
 */
public final class ShapesTeacherNet {

    private ShapesTeacherNet() {
    }

    /** The untrained network of {@code recipe} (weights seeded by the recipe's seed). */
    public static OnnxModel build(TeacherRecipe recipe) {
        TeacherRecipe.Architecture a = recipe.architecture();
        int channels = ShapesDataset.CHANNELS;
        int size = ShapesDataset.SIZE;
        int patch = a.patch();
        if (patch < 1 || size % patch != 0) {
            throw new IllegalArgumentException("shapes teacher: patch " + patch + " does not divide the image size " + size);
        }
        Init init = new Init(recipe.seed());
        GraphBuilder g = GraphBuilder.create("sfd-teacher-shapes");
        TeacherConditioning.inputs(g, channels, size, size);
        String eps = EdmPreconditioning.epsilon(g, TeacherMetadata.X, TeacherMetadata.T, recipe.sigmaData(), 3,
                (xIn, cNoise) -> {
                    String temb = TeacherConditioning.timeEmbedding(g, cNoise, a.timeFeatures(), a.width(), init);
                    String c = g.add(temb, TeacherConditioning.labelEmbedding(g, TeacherMetadata.COND,
                            ShapesLabels.CLASSES, a.width(), init));
                    return transformer(g, xIn, c, channels, size, patch, a, init);
                });
        g.outputAs(eps, TeacherMetadata.EPS);
        TeacherNets.describe(g, recipe, ShapesLabels.CLASSES, a.width(), channels, size, size);
        return new OnnxModel(g.build());
    }

    private static String transformer(GraphBuilder g, String x, String c, int channels, int size, int patch,
            TeacherRecipe.Architecture a, Init init) {
        int grid = size / patch;
        int tokens = grid * grid;
        int patchDim = channels * patch * patch;
        // [B, C, S, S] → [B, C, g, p, g, p] → [B, g, g, C, p, p] → [B, T, C·p·p]
        String p = g.reshape(x, -1, channels, grid, patch, grid, patch);
        p = g.reshape(g.transpose(p, 0, 2, 4, 1, 3, 5), -1, tokens, patchDim);
        String h = new Linear(g, "patch", patchDim, a.width(), init).apply(p);
        h = g.add(h, g.parameter("pos", new long[] {1, tokens, a.width()}, init.normal(tokens * a.width(), 0.02)));
        String cond = g.silu(c);
        for (int b = 0; b < a.depth(); b++) {
            h = a.kind().equals("dit-adaln")
                    ? new AdaLnTransformerBlock(g, "block" + b, a.width(), a.heads(), 4, a.width(), a.activation(),
                            init).apply(h, cond)
                    : new TransformerBlock(g, "block" + b, a.width(), a.heads(), 4, a.width(), init).apply(h, cond);
        }
        String normed = new LayerNorm(g, "out.norm", a.width()).apply(h);
        if (a.kind().equals("dit-adaln")) {
            String[] m = g.split(g.unsqueeze(new Linear(g, "out.adaln", a.width(), 2 * a.width(), init, true)
                    .apply(cond), 1), 2, a.width(), a.width());
            normed = g.add(g.mul(normed, g.add(m[1], g.scalar(1))), m[0]);      // LN(h)·(1+scale)+shift
        }
        String out = new Linear(g, "unpatch", a.width(), patchDim, init, true).apply(normed);
        // [B, T, C·p·p] → [B, g, g, C, p, p] → [B, C, g, p, g, p] → [B, C, S, S]
        out = g.transpose(g.reshape(out, -1, grid, grid, channels, patch, patch), 0, 3, 1, 4, 2, 5);
        return g.reshape(out, -1, channels, size, size);
    }
}
