package dev.sfd.core.distill;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.ShapeInfo;
import dev.sfd.core.teachers.TeacherMetadata;
import java.util.List;

/**
 * Builds the student from the teacher (SFD.md: "same network, initialised from the teacher's
 * weights"): a copy of the teacher's graph and weights plus, when the teacher names its time
 * embedding, the step-count condition of SFD-v. The value E named by {@code sfd.time_embedding}
 * is rewired to {@code E_teacher + StepCountEmbedding(steps)}, so every block that consumed the
 * time embedding now sees the step count beside it. The new input is {@link StepCountEmbedding#INPUT}
 * (float [B]); the zero-initialised last layer makes the fresh student equal the teacher.
 * Without an injection point the student is the teacher's graph unchanged (a fixed-N student).
 */
public final class StudentFromTeacher {

    /**
     * The student graph.
     *
     * @param model         the student (teacher parameters + the step-count layers, if any)
     * @param stepEmbedding whether the student takes the {@code steps} input
     * @param injectedAt    the value the step embedding was added to (null without one)
     */
    public record StudentGraph(OnnxModel model, boolean stepEmbedding, String injectedAt) {
    }

    private StudentFromTeacher() {
    }

    /**
     * @param teacher   the teacher ONNX model
     * @param injection the time-embedding value to add the step embedding to, or null for a fixed-N student
     * @param width     its width D (0 = derive from the graph's shape inference)
     * @param seed      initialisation seed of the new (first) layer
     */
    public static StudentGraph build(OnnxModel teacher, String injection, int width, long seed) {
        if (injection == null || injection.isBlank()) {
            return new StudentGraph(withTeacherProvenance(teacher), false, null);
        }
        if (teacher.inputNames().contains(StepCountEmbedding.INPUT)) {
            throw new IllegalArgumentException("teacher '" + teacher.name() + "' already has an input named '"
                    + StepCountEmbedding.INPUT + "'");
        }
        GraphProto graph = teacher.graph();
        int producer = producerOf(graph, injection);
        if (producer < 0) {
            throw new IllegalArgumentException("teacher '" + teacher.name() + "' computes no value named '" + injection
                    + "' (the time-embedding injection point, from " + TeacherMetadata.TIME_EMBEDDING
                    + " or --inject); it must be the output of a node, shaped [B, D]");
        }
        int d = width > 0 ? width : inferWidth(teacher, injection);
        String renamed = injection + ".teacher";
        NodeProto node = graph.getNode(producer);
        NodeProto.Builder nb = node.toBuilder();
        for (int i = 0; i < node.getOutputCount(); i++) {
            if (node.getOutput(i).equals(injection)) {
                nb.setOutput(i, renamed);
            }
        }
        ModelProto renamedModel = teacher.proto().toBuilder()
                .setGraph(graph.toBuilder().setNode(producer, nb)).build();
        GraphBuilder g = GraphBuilder.edit(renamedModel);
        String steps = g.input(StepCountEmbedding.INPUT, -1);
        String embedding = StepCountEmbedding.append(g, steps, d, seed);
        g.op("Add", List.of(renamed, embedding), injection); // time embedding + step-count embedding
        ModelProto built = g.build();
        ModelProto student = built.toBuilder().setGraph(GraphOrder.sorted(built.getGraph())).build();
        return new StudentGraph(withTeacherProvenance(new OnnxModel(student)), true, injection);
    }

    /** Contract keys that stay valid for the student; every other teacher key moves to sfd.teacher.*. */
    private static final java.util.Set<String> KEPT = java.util.Set.of(TeacherMetadata.DATASET, TeacherMetadata.SAMPLE_SHAPE,
            TeacherMetadata.T_MIN, TeacherMetadata.T_MAX, TeacherMetadata.CLASSES, TeacherMetadata.TIME_EMBEDDING,
            TeacherMetadata.TIME_EMBEDDING_DIM, "sfd.sigma_data", TeacherMetadata.FROZEN, TeacherMetadata.COND_EMBEDDING);

    /** The teacher's provenance (recipe, training stats, code version…) renamed to {@code sfd.teacher.<key>}. */
    static OnnxModel withTeacherProvenance(OnnxModel model) {
        ModelProto.Builder b = model.proto().toBuilder().clearMetadataProps();
        model.metadata().forEach((k, v) -> b.addMetadataProps(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder()
                .setKey(KEPT.contains(k) || !k.startsWith("sfd.") ? k : "sfd.teacher." + k.substring(4)).setValue(v)));
        return new OnnxModel(b.build());
    }

    private static int producerOf(GraphProto graph, String value) {
        for (int i = 0; i < graph.getNodeCount(); i++) {
            if (graph.getNode(i).getOutputList().contains(value)) {
                return i;
            }
        }
        return -1;
    }

    private static int inferWidth(OnnxModel teacher, String value) {
        long[] shape = ShapeInfo.of(teacher.graph()).probeShape(value); // symbolic dims are probes >= 1e6
        if (shape == null || shape.length != 2 || shape[1] <= 0 || shape[1] >= 1_000_000) {
            throw new IllegalArgumentException("cannot infer the width of '" + value + "' in teacher '" + teacher.name()
                    + "' (shape " + java.util.Arrays.toString(shape) + "): give it explicitly ("
                    + TeacherMetadata.TIME_EMBEDDING_DIM + " or --inject-dim)");
        }
        return Math.toIntExact(shape[1]);
    }
}
