package dev.sfd.cli;

import dev.sfd.core.distill.DistillRecipe;
import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdDistiller;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.text2image.Captions;
import dev.sfd.core.teachers.imports.text2image.PipelineReference;
import dev.sfd.core.teachers.imports.text2image.TextToImageDistillation;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import dev.sfd.core.teachers.imports.text2image.TextToImageTeacher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sfd distill --teacher <pipeline folder | folder.teacher.json>}: SFD of a text-to-image teacher in
 * process. The training prompts are the folder's captions ({@code captions.json}), each encoded once by the
 * frozen text encoder; trajectories draw a prompt each from the run seed and the teacher runs at ω = 1
 * (its conditional branch only). The student is the UNet contract copy plus the step-count condition, its
 * float {@code cond} input fed with the prompt embeddings. Flags as for any teacher; the recipe is
 * {@link DistillRecipe#TEXT_TO_IMAGE}.
 */
final class TextToImageDistill {

    private TextToImageDistill() {
    }

    static boolean applies(Path teacher) {
        return TextToImageFolder.looksLike(teacher) || PipelineReference.isManifest(teacher);
    }

    static int run(DistillCommand c, PrintWriter w) {
        refuseUnsupported(c);
        Path given = Path.of(c.selection.teacher);
        Path folder = given;
        long[] latent = null;
        if (PipelineReference.isManifest(given)) {
            PipelineReference ref = PipelineReference.readManifest(given);
            folder = ref.folder();
            latent = ref.latent();
        }
        if (!Captions.exist(folder)) {
            throw new IllegalArgumentException("pipeline folder " + folder + " has no " + Captions.FILE + ": SFD needs "
                    + "training prompts; write {\"templates\": [\"a {c} {s}\", …], \"shapes\": […], \"colours\": […]} there");
        }
        List<String> prompts = Captions.read(folder).texts();
        long start = System.nanoTime();
        TextToImageFolder f = TextToImageFolder.read(folder);
        long[] shape = latent != null ? latent : f.latentShape();
        // small batched calls: one thread is fastest for the teacher, as for any other teacher
        try (TextToImageTeacher teacher = TextToImageTeacher.open(f, shape, SessionConfig.cpu(1))) {
            String id = folder.toAbsolutePath().normalize().getFileName().toString();
            TextToImageDistillation d = TextToImageDistillation.of(id, teacher, prompts, c.seed);
            DistillRecipe recipe = DistillRecipe.TEXT_TO_IMAGE;
            w.println("recipe for text-to-image teacher '" + id + "' (flags override): " + recipe.describe());
            SfdConfig config = c.config(recipe, d.info().tMin(), d.info().tMax());
            w.printf(Locale.ROOT, "SFD: text-to-image teacher %s (folder sha256 %s…), latent %s, %d training prompts "
                            + "(captions.json, each encoded once: embedding %s), ω = 1, N %s (NFE %s, AFS %s), %s K=%d, "
                            + "budget %d, batch %d, lr %g%n", id, f.sha256().substring(0, 12), java.util.Arrays.toString(shape),
                    prompts.size(), java.util.Arrays.toString(d.prompts().embeddingShape()), config.stepCounts(),
                    config.stepCounts().stream().map(config::nfe).toList(), config.afs() ? "on" : "off", config.solver(),
                    config.k(), config.budget(), config.batch(), config.learningRate());
            w.flush();
            DistillationResult r = new SfdDistiller(teacher.model(), d.info(), d.student(), config).prompts(d.prompts())
                    .run();
            StudentCheckpoint cp = StudentCheckpoint.save(r.student(), c.out);
            w.printf(Locale.ROOT, "distilled in %.1f s (trainer + teacher; %.1f s wall with loading): %d trajectories, "
                            + "%d Adam steps, %d teacher calls; loss %.4f -> %s%n", r.seconds(),
                    (System.nanoTime() - start) / 1e9, r.trajectories(), r.optimizerSteps(), r.teacherNfe(), r.firstLoss(),
                    DistillCommand.format(r));
            w.printf(Locale.ROOT, "wrote %s (sha256 %s); sample with N in %s (NFE %s) and a prompt embedding of %s%n", c.out,
                    cp.sha256(), cp.metadata().stepCounts(), cp.metadata().stepCounts().stream().map(cp.metadata()::nfe)
                            .toList(), id);
            return 0;
        }
    }

    /** The flags that do not apply to a text-to-image teacher yet, each with the reason. */
    private static void refuseUnsupported(DistillCommand c) {
        List<String> bad = new ArrayList<>();
        if (c.out == null) {
            bad.add("--out <student.onnx> is required");
        }
        if (!c.method.equals("sfd")) {
            bad.add("--method " + c.method + ": only sfd distils a text-to-image teacher so far");
        }
        if (c.trajectories != null || c.saveTrajectories != null || (c.epochs != null && c.epochs > 1)) {
            bad.add("--trajectories/--save-trajectories/--epochs: stored trajectories do not record the prompt list yet; "
                    + "train in process");
        }
        if (c.graph.classes != null || c.graph.inject != null || c.graph.sampleShape != null || c.graph.tMin != null
                || c.graph.tMax != null) {
            bad.add("--classes/--inject/--sample-shape/--t-min/--t-max: a pipeline folder gives these (prompts, the "
                    + "detected time MLP, the latent and the ᾱ table's σ range); give --sample-shape to 'sfd teacher "
                    + "import' and pass its manifest");
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("sfd distill --teacher " + c.selection.teacher + " (a text-to-image "
                    + "pipeline): " + String.join("; ", bad));
        }
    }
}
