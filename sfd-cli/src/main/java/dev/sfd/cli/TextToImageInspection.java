package dev.sfd.cli;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.sfd.core.autodiff.GradientCoverage;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.text2image.PipelinePart;
import dev.sfd.core.teachers.imports.text2image.PipelineTokenizer;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What {@code sfd teacher info} and {@code sfd teacher import} learn about a diffusers ONNX pipeline
 * folder: the folder as read by {@link TextToImageFolder}, the tokenizer as loaded by the tokenizers
 * library, and every part's coverage (the UNet's gradient gaps, every part's ONNX Runtime session).
 * {@link #problems()} is what stops the folder being distilled, each with its part and its fix.
 */
record TextToImageInspection(TextToImageFolder folder, String tokenizerKind, int maxLength,
        List<TextToImageFolder.PartCoverage> coverage) {

    /** Reads {@code dir}, loads its tokenizer and opens every part once in ONNX Runtime under {@code config}. */
    static TextToImageInspection of(Path dir, SessionConfig config) {
        TextToImageFolder folder = TextToImageFolder.read(dir);
        Path work;
        try {
            work = Files.createTempDirectory("sfd-tokenizer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the tokenizer", e);
        }
        try (PipelineTokenizer t = PipelineTokenizer.load(folder.tokenizerDir(), work)) {
            return new TextToImageInspection(folder, t.kind(), t.maxLength(), folder.coverage(config));
        } finally {
            deleteTree(work);
        }
    }

    /** Everything that stops distillation, each naming part, op, nodes and the fix; empty = importable. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        for (TextToImageFolder.PartCoverage c : coverage) {
            PipelinePart part = folder.parts().get(c.part());
            for (GradientCoverage.Gap g : c.gaps()) {
                out.add(String.format(Locale.ROOT, "%s (%s): op %s at node(s) %s: %s. The %s is distilled, so every op "
                        + "between its weights and its output needs a reverse-mode rule: add one for %s to sfd-core's "
                        + "dev.sfd.core.autodiff.GradientRules (with a finite-difference test), or re-export the model "
                        + "with ops that have one (see 'Supported ops' in docs/bring-your-own-teacher.md)",
                        c.part(), part.model(), g.opType(), g.nodes(), g.reason(), c.part(), g.opType()));
            }
            if (c.sessionError() != null) {
                out.add(String.format(Locale.ROOT, "%s (%s): ONNX Runtime cannot open it: %s. Re-export the part with "
                        + "ops and an opset this ONNX Runtime supports, and keep its external data files beside it",
                        c.part(), part.model(), c.sessionError()));
            }
        }
        PipelinePart text = folder.textEncoder();
        if (text.rank("input_ids") == 2 && text.dim("input_ids", 1) > 0 && text.dim("input_ids", 1) != maxLength) {
            out.add(String.format(Locale.ROOT, "%s (%s): input_ids takes %d tokens but the tokenizer pads prompts to "
                    + "model_max_length %d; set model_max_length to %d in tokenizer/tokenizer_config.json",
                    TextToImageFolder.TEXT_ENCODER, text.model(), text.dim("input_ids", 1), maxLength,
                    text.dim("input_ids", 1)));
        }
        return out;
    }

    /** Tokens and width of the text conditioning, from the UNet's {@code encoder_hidden_states} (-1 when symbolic). */
    long[] textEmbedding() {
        PipelinePart unet = folder.unet();
        long tokens = unet.dim("encoder_hidden_states", 1);
        return new long[] {tokens > 0 ? tokens : maxLength, unet.dim("encoder_hidden_states", 2)};
    }

    /** Scheduler, prediction, tokenizer, shapes, parts with their data files and digests. */
    void printDetails(PrintWriter w) {
        w.println("folder: " + folder.folder().toAbsolutePath().normalize());
        w.println("sha256: " + folder.sha256() + " (every part with its external data, the scheduler config and "
                + "the tokenizer files)");
        w.println("scheduler: " + folder.scheduler().describe());
        w.println("prediction type: " + folder.scheduler().predictionType());
        w.println("tokenizer: " + tokenizerKind + ", prompts padded or truncated to " + maxLength + " tokens");
        w.println("latent: " + dims(folder.latentShape()));
        w.println("text embedding: " + dims(textEmbedding()));
        w.println("parts:");
        for (PipelinePart p : folder.parts().values()) {
            w.printf(Locale.ROOT, "  %s: %s, opset %d, %s%n", p.name(), folder.folder().relativize(p.model()),
                    p.opset(), p.trained() ? "distilled" : "frozen");
            p.inputs().values().forEach(v -> w.println("    input  " + v.getName() + " " + type(v)));
            w.println("    output " + String.join(", ", p.outputs()));
            w.println("    external data: " + (p.externalData().isEmpty() ? "none"
                    : p.externalData().stream().map(d -> d.getFileName() + " (" + size(d) + " bytes)")
                            .collect(Collectors.joining(", "))));
            w.println("    sha256 " + p.sha256());
        }
    }

    /** One line per part, then every unsupported op of every part at once (part, op, nodes, reason). */
    void printCoverage(PrintWriter w) {
        w.println("coverage:");
        coverage.forEach(c -> w.println("  " + c.summary()));
        List<String> rows = new ArrayList<>();
        for (TextToImageFolder.PartCoverage c : coverage) {
            c.gaps().forEach(g -> rows.add(String.format(Locale.ROOT, "  %s  %s  nodes %s  %s", c.part(), g.opType(),
                    g.nodes(), g.reason())));
        }
        w.println("unsupported ops: " + (rows.isEmpty() ? "none" : rows.size()));
        rows.forEach(w::println);
    }

    static String dims(long[] d) {
        return Arrays.stream(d).mapToObj(v -> v < 0 ? "?" : Long.toString(v))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String type(ValueInfoProto v) {
        TypeProto.Tensor t = v.getType().getTensorType();
        String elem = DataType.forNumber(t.getElemType()) == null ? "type " + t.getElemType()
                : DataType.forNumber(t.getElemType()).name().toLowerCase(Locale.ROOT);
        return elem + t.getShape().getDimList().stream()
                .map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam().isEmpty() ? "?" : d.getDimParam())
                .collect(Collectors.joining(", ", " [", "]"));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary tokenizer.json is harmless
        }
    }
}
