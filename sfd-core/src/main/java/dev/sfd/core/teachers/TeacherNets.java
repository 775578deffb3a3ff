package dev.sfd.core.teachers;

import dev.sfd.core.onnx.GraphBuilder;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes the teacher contract's metadata (see {@link TeacherMetadata}) onto a graph being built. */
final class TeacherNets {

    private TeacherNets() {
    }

    static void describe(GraphBuilder g, TeacherRecipe recipe, int classes, int timeEmbeddingDim, long... sampleShape) {
        g.metadata(TeacherMetadata.KIND, TeacherMetadata.KIND_TEACHER);
        g.metadata(TeacherMetadata.DATASET, recipe.dataset());
        g.metadata(TeacherMetadata.SAMPLE_SHAPE,
                Arrays.stream(sampleShape).mapToObj(Long::toString).collect(Collectors.joining(",")));
        g.metadata(TeacherMetadata.T_MIN, Double.toString(recipe.tMin()));
        g.metadata(TeacherMetadata.T_MAX, Double.toString(recipe.tMax()));
        g.metadata(TeacherMetadata.CLASSES, Integer.toString(classes));
        g.metadata(TeacherMetadata.TIME_EMBEDDING, TeacherMetadata.TIME_EMBEDDING_VALUE);
        g.metadata(TeacherMetadata.TIME_EMBEDDING_DIM, Integer.toString(timeEmbeddingDim));
        g.metadata(TeacherMetadata.SIGMA_DATA, Double.toString(recipe.sigmaData()));
        g.metadata(TeacherMetadata.RECIPE, recipe.toJson());
        g.metadata(TeacherMetadata.CODE_VERSION, TeacherMetadata.CURRENT_CODE_VERSION);
    }
}
