package dev.sfd.cli;

import dev.sfd.core.onnx.SessionConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code sfd teacher import <folder>} for a diffusers ONNX text-to-image pipeline: prints every
 * decision and the coverage of every part, refuses while anything stops distillation (the UNet's
 * gradient gaps, a part ONNX Runtime cannot open), else writes the {@link TextToImageManifest}.
 * Run when the argument of {@code sfd teacher import} is a folder that
 * {@link dev.sfd.core.teachers.imports.text2image.TextToImageFolder#looksLike} a pipeline.
 */
final class TextToImageImport {

    /** ONNX Runtime opens each part once to prove it can; one thread is enough for that. */
    static final SessionConfig CHECK_SESSIONS = SessionConfig.cpu(1);

    private TextToImageImport() {
    }

    /**
     * Imports {@code folder}; {@code sampleShape} (null = from the graphs) overrides the latent [C, H, W],
     * {@code out} (null = {@code <folder>.teacher.json} beside the folder) is the manifest written.
     * {@code fileOnlyFlags} are single-file flags the user gave: a folder refuses them.
     */
    static int run(Path folder, Path out, long[] sampleShape, List<String> fileOnlyFlags, PrintWriter w) {
        if (!fileOnlyFlags.isEmpty()) {
            throw new IllegalArgumentException(fileOnlyFlags + " apply to a single .onnx file; " + folder + " is a "
                    + "diffusers pipeline folder, whose UNet uses the diffusers names (sample, timestep, "
                    + "encoder_hidden_states → out_sample) and whose scheduler_config.json gives the noise schedule and "
                    + "prediction type: drop these flags (only --out and --sample-shape apply to a folder)");
        }
        TextToImageInspection t = TextToImageInspection.of(folder, CHECK_SESSIONS);
        w.println("importing " + folder + " (diffusers ONNX text-to-image pipeline)");
        t.folder().decisions().forEach(d -> w.println("  " + d));
        w.println("  tokenizer: " + t.tokenizerKind() + ", max length " + t.maxLength());
        long[] latent = latent(t, sampleShape);
        w.println("  latent: " + TextToImageInspection.dims(latent) + (sampleShape == null
                ? " (from the UNet's sample input; --sample-shape overrides)" : " (given: --sample-shape)"));
        w.println("  text embedding: " + TextToImageInspection.dims(t.textEmbedding()));
        w.println("  sha256: " + t.folder().sha256());
        t.printCoverage(w);
        w.flush();
        List<String> problems = t.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cannot import " + folder + " as a teacher, " + problems.size()
                    + " problem(s):\n  - " + String.join("\n  - ", problems));
        }
        Path file = out != null ? out : t.folder().folder().toAbsolutePath().normalize()
                .resolveSibling(t.folder().folder().toAbsolutePath().normalize().getFileName() + ".teacher.json");
        String sha = TextToImageManifest.write(TextToImageManifest.of(t, latent), file);
        w.printf(Locale.ROOT, "wrote %s (sha256 %s): references %s, pinned by its sha256 %s%n", file, sha,
                t.folder().folder().toAbsolutePath().normalize(), t.folder().sha256());
        w.println("distil it with: sfd distill --teacher " + file + " --out student.onnx (prompts from the folder's "
                + "captions.json)");
        w.flush();
        return 0;
    }

    private static long[] latent(TextToImageInspection t, long[] given) {
        long[] graph = t.folder().latentShape();
        if (given == null) {
            if (Arrays.stream(graph).anyMatch(v -> v < 0)) {
                throw new IllegalArgumentException("the latent shape of " + t.folder().folder() + " is "
                        + TextToImageInspection.dims(graph) + ": symbolic in both the UNet's sample and the VAE decoder's "
                        + "input; give it as channels,height,width, e.g. --sample-shape " + Math.max(graph[0], 4) + ",64,64");
            }
            return graph;
        }
        if (given.length != 3 || Arrays.stream(given).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("--sample-shape " + TextToImageInspection.dims(given) + ": a latent is "
                    + "channels,height,width with positive sizes, e.g. 4,64,64");
        }
        for (int d = 0; d < 3; d++) {
            if (graph[d] > 0 && graph[d] != given[d]) {
                throw new IllegalArgumentException("--sample-shape " + TextToImageInspection.dims(given)
                        + " contradicts the UNet's static sample dims " + TextToImageInspection.dims(graph)
                        + "; drop the flag or give " + TextToImageInspection.dims(graph));
            }
        }
        return given;
    }

}
