package dev.sfd.core.teachers.imports.text2image;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The committed text-to-image pipeline folders ({@code fixtures/text2image/*}) and the edits tests
 * make to copies of them. Shared with sfd-cli's tests through sfd-core's test jar.
 */
public final class PipelineFixtures {

    private PipelineFixtures() {
    }

    /** The fixture folder {@code name}, found from the working directory up to the repository root. */
    public static Path fixture(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("fixtures").resolve("text2image").resolve(name);
            if (Files.isDirectory(f)) {
                return f;
            }
        }
        throw new AssertionError("fixture " + name + " not found under fixtures/text2image");
    }

    /** Rewires {@code model}'s only output through one more node {@code domain.opType} named {@code nodeName}. */
    public static void appendNode(Path model, String domain, String opType, String nodeName) throws Exception {
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
        String out = m.getGraph().getOutput(0).getName();
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            for (int o = 0; o < n.getOutputCount(); o++) {
                if (n.getOutput(o).equals(out)) {
                    g.setNode(i, n.toBuilder().setOutput(o, out + "_before_" + nodeName));
                }
            }
        }
        g.addNode(NodeProto.newBuilder().setName(nodeName).setOpType(opType).setDomain(domain)
                .addInput(out + "_before_" + nodeName).addOutput(out));
        ModelProto.Builder b = m.toBuilder().setGraph(g);
        if (!domain.isEmpty()) {
            b.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(1));
        }
        Files.write(model, b.build().toByteArray());
    }

    /** Copies the folder {@code from} with everything in it to {@code to}. */
    public static void copyTree(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }
}
