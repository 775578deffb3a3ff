package dev.sfd.cli;

import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.teachers.Checksums;
import dev.sfd.core.teachers.Distillability;
import dev.sfd.core.teachers.TeacherContract;
import dev.sfd.core.teachers.imports.ImportOptions;
import dev.sfd.core.teachers.imports.TeacherImport;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sfd teacher import}: makes a foreign ONNX diffusion model (e.g. from {@code torch.onnx.export})
 * a teacher: the graph and weights are kept, a thin wrapper maps the contract's x, t, cond and eps
 * onto the model's own inputs and output, and the contract metadata is added. Every setting is
 * detected where the graph allows it and can be given with a flag; each decision is printed. A
 * diffusers ONNX pipeline folder is imported as a text-to-image teacher instead ({@link TextToImageImport}).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a foreign ONNX diffusion model (ε, x0, v or EDM denoiser; VE or VP) as an SFD teacher.")
final class TeacherImportCommand implements Callable<Integer> {

    @Mixin
    TeacherGraphOptions graph;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "The exported model (.onnx), or a diffusers ONNX text-to-image pipeline "
            + "folder (model_index.json, scheduler/, tokenizer/, text_encoder/, unet/, vae_decoder/).")
    Path model;

    @Option(names = "--out", description = "Teacher file to write (default: <model>.teacher.onnx beside it) and its .sha256; "
            + "for a pipeline folder the manifest (default: <folder>.teacher.json beside it).")
    Path out;

    @Option(names = "--sample-input", description = "Input holding the noisy sample (detected: x, sample, latents, …).")
    String sampleInput;

    @Option(names = "--time-input", description = "Input holding σ or the timestep (detected: t, timestep, sigma, …).")
    String timeInput;

    @Option(names = "--cond-input", description = "Input holding class labels (detected: the remaining input); none = unconditional.")
    String condInput;

    @Option(names = "--output", description = "Output holding the prediction (detected by name, or the only output).")
    String output;

    @Option(names = "--prediction", description = "What the output predicts: eps, x0, v or edm (denoiser D). Default: from the output name, else eps.")
    String prediction;

    @Option(names = "--noise", description = "ve (σ(t) = t, the time input is σ) or vp (discrete ᾱ table, the time input is the "
            + "timestep). Default: vp for an integer or 'timestep' input, else ve.")
    String noise;

    @Option(names = "--null-label", description = "The network's label for 'no condition' (SFD passes ∅ as −1; default: the last row).")
    Integer nullLabel;

    @Option(names = "--dataset", description = "Data set name recorded in the teacher (default: custom).")
    String dataset;

    @Option(names = "--beta-schedule", description = "VP: linear or scaled-linear (default scaled-linear, as Stable Diffusion).")
    String betaSchedule;

    @Option(names = "--beta-start", description = "VP: first β (default 0.00085).")
    Double betaStart;

    @Option(names = "--beta-end", description = "VP: last β (default 0.012).")
    Double betaEnd;

    @Option(names = "--train-steps", description = "VP: number of discrete timesteps (default 1000).")
    Integer trainSteps;

    @Option(names = "--alphas-cumprod", description = "VP: file with the ᾱ table (numbers separated by commas or whitespace); "
            + "overrides the β flags.")
    Path alphasCumprod;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        if (Files.isDirectory(model)) {
            if (!TextToImageFolder.looksLike(model)) {
                throw new IllegalArgumentException(model + " is a directory but not a diffusers ONNX pipeline folder "
                        + "(no model_index.json and no unet/model.onnx): give an exported .onnx file, or the folder "
                        + "that optimum-cli export onnx wrote");
            }
            return TextToImageImport.run(model, out, graph.sampleShape == null ? null : TeacherInfo.parseShape(graph.sampleShape),
                    fileOnlyFlags(), w);
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("no model file '" + model + "': give the path of the exported .onnx");
        }
        Path pipeline = model.toAbsolutePath().getParent().getParent();
        if (pipeline != null && TextToImageFolder.looksLike(pipeline)
                && model.toAbsolutePath().getParent().getFileName().toString().equals(TextToImageFolder.UNET)) {
            w.println("note: " + model + " is the UNet of the pipeline folder " + pipeline + "; 'sfd teacher import "
                    + pipeline + "' imports the whole pipeline as a text-to-image teacher");
            w.flush();
        }
        byte[] bytes = Files.readAllBytes(model);
        OnnxModel foreign = OnnxModel.parse(model.getFileName().toString(), bytes);
        TeacherImport.Result r = TeacherImport.run(model.getFileName().toString(), foreign, bytes, options());
        Path file = out != null ? out : model.toAbsolutePath().resolveSibling(
                model.getFileName().toString().replaceFirst("\\.onnx$", "") + ".teacher.onnx");
        w.println("importing " + model);
        r.decisions().forEach(d -> w.println("  " + d));
        var problems = TeacherContract.problems(r.model());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the imported teacher violates the contract: " + problems);
        }
        String sha = Checksums.writeWithChecksum(file, r.model().toBytes());
        w.print(Distillability.describe(r.model()));
        w.printf(Locale.ROOT, "wrote %s (sha256 %s)%n", file, sha);
        w.printf(Locale.ROOT, "next: sfd distill --teacher %s --out student.onnx%n", file);
        w.flush();
        return 0;
    }

    /** The single-file flags that were given (they have no meaning for a pipeline folder). */
    private List<String> fileOnlyFlags() {
        List<String> given = new ArrayList<>();
        Object[][] flags = {{"--sample-input", sampleInput}, {"--time-input", timeInput}, {"--cond-input", condInput},
            {"--output", output}, {"--prediction", prediction}, {"--noise", noise}, {"--t-min", graph.tMin}, {"--t-max", graph.tMax},
            {"--classes", graph.classes}, {"--null-label", nullLabel}, {"--inject", graph.inject},
            {"--inject-dim", graph.injectDim == 0 ? null : graph.injectDim}, {"--dataset", dataset}, {"--beta-schedule", betaSchedule},
            {"--beta-start", betaStart}, {"--beta-end", betaEnd}, {"--train-steps", trainSteps},
            {"--alphas-cumprod", alphasCumprod}};
        for (Object[] f : flags) {
            if (f[1] != null) {
                given.add((String) f[0]);
            }
        }
        return given;
    }

    private ImportOptions options() throws IOException {
        ImportOptions o = new ImportOptions();
        o.sampleInput = sampleInput;
        o.timeInput = timeInput;
        o.condInput = condInput;
        o.output = output;
        o.prediction = prediction == null ? null : parse(ImportOptions.Prediction.class, prediction, "--prediction");
        o.noise = noise == null ? null : parse(ImportOptions.Noise.class, noise, "--noise");
        o.sampleShape = graph.sampleShape == null ? null : TeacherInfo.parseShape(graph.sampleShape);
        o.tMin = graph.tMin;
        o.tMax = graph.tMax;
        o.classes = graph.classes;
        o.nullLabel = nullLabel;
        o.inject = graph.inject;
        o.injectDim = graph.injectDim;
        o.dataset = dataset;
        o.betaSchedule = betaSchedule;
        o.betaStart = betaStart;
        o.betaEnd = betaEnd;
        o.trainSteps = trainSteps;
        if (alphasCumprod != null) {
            try {
                o.alphasCumprod = Arrays.stream(Files.readString(alphasCumprod).trim().split("[,\\s]+"))
                        .mapToDouble(Double::parseDouble).toArray();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--alphas-cumprod " + alphasCumprod + ": not a list of numbers ("
                        + e.getMessage() + ")");
            }
        }
        return o;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String flag) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " " + value + ": expected one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }
}
