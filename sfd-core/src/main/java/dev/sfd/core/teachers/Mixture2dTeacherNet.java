package dev.sfd.core.teachers;

import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.LayerNorm;
import dev.sfd.core.onnx.nn.Linear;
import dev.sfd.core.onnx.nn.ResidualMlpBlock;

/**
 * The {@code mixture2d} teacher: an EDM-preconditioned residual MLP. F(c_in·x, c_noise, c) with
 * c = time embedding + label embedding added to every block's hidden layer; ε from
 * {@link EdmPreconditioning}. Inputs x [B, 2], t [B], cond int64 [B]; output eps [B, 2].
 */
public final class Mixture2dTeacherNet {

    private Mixture2dTeacherNet() {
    }

    /** The untrained network of {@code recipe} (weights seeded by the recipe's seed). */
    public static OnnxModel build(TeacherRecipe recipe) {
        TeacherRecipe.Architecture a = recipe.architecture();
        int classes = new Mixture2dTeacherData().classes();
        Init init = new Init(recipe.seed());
        GraphBuilder g = GraphBuilder.create("sfd-teacher-mixture2d");
        TeacherConditioning.inputs(g, 2);
        String eps = EdmPreconditioning.epsilon(g, TeacherMetadata.X, TeacherMetadata.T, recipe.sigmaData(), 1,
                (xIn, cNoise) -> {
                    String temb = TeacherConditioning.timeEmbedding(g, cNoise, a.timeFeatures(), a.width(), init);
                    String c = g.add(temb, TeacherConditioning.labelEmbedding(g, TeacherMetadata.COND, classes,
                            a.width(), init));
                    String h = new Linear(g, "in", 2, a.width(), init).apply(xIn);
                    for (int b = 0; b < a.depth(); b++) {
                        h = new ResidualMlpBlock(g, "block" + b, a.width(), 2 * a.width(), a.width(), init).apply(h, c);
                    }
                    return new Linear(g, "out", a.width(), 2, init, true)
                            .apply(new LayerNorm(g, "out.norm", a.width()).apply(h));
                });
        g.outputAs(eps, TeacherMetadata.EPS);
        TeacherNets.describe(g, recipe, classes, a.width(), 2);
        return new OnnxModel(g.build());
    }
}
