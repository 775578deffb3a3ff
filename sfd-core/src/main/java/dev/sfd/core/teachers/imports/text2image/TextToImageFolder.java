package dev.sfd.core.teachers.imports.text2image;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.autodiff.GradientCoverage;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.ImportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A text-to-image latent pipeline in the diffusers / optimum ONNX layout, read and checked as a
 * text-conditioned teacher: the UNet takes {@code sample} [B,C,H,W], an int64 {@code timestep} [B] and
 * {@code encoder_hidden_states} [B,L,D] (the text encoder's {@code last_hidden_state}); the scheduler
 * gives the VP/DDPM ᾱ table and ε or v prediction; the tokenizer pads/truncates to its max length.
 * Only the UNet is distilled, so only it needs a gradient rule for every op between its weights and
 * its output; the text encoder and the VAE are frozen and run in ONNX Runtime, so what they need is a
 * session. {@link #coverage(SessionConfig)} reports both for every part at once.
 */
public record TextToImageFolder(Path folder, SchedulerConfig scheduler, Path tokenizerDir,
        Map<String, PipelinePart> parts, String sha256, List<String> decisions) {

    public static final String UNET = "unet";
    public static final String TEXT_ENCODER = "text_encoder";
    public static final String VAE_DECODER = "vae_decoder";
    public static final String VAE_ENCODER = "vae_encoder";
    static final List<String> REQUIRED = List.of(TEXT_ENCODER, UNET, VAE_DECODER);

    /** True if {@code folder} looks like a diffusers pipeline folder (has model_index.json or unet/model.onnx). */
    public static boolean looksLike(Path folder) {
        return Files.isDirectory(folder) && (Files.isRegularFile(folder.resolve("model_index.json"))
                || Files.isRegularFile(folder.resolve(UNET).resolve("model.onnx")));
    }

    /** Reads every part; refuses a folder whose UNet is not text-conditioned in the diffusers signature. */
    public static TextToImageFolder read(Path folder) {
        if (!looksLike(folder)) {
            throw new ImportException(null, folder + " is not a diffusers ONNX pipeline folder (no model_index.json "
                    + "and no unet/model.onnx); pass the folder that optimum-cli export onnx wrote");
        }
        List<String> decisions = new ArrayList<>();
        if (!SchedulerConfig.exists(folder)) {
            throw new ImportException(null, folder + " has no scheduler/scheduler_config.json; the ᾱ table and the "
                    + "prediction type come from it: copy the pipeline's scheduler config into the folder");
        }
        SchedulerConfig scheduler = SchedulerConfig.read(folder.resolve("scheduler").resolve("scheduler_config.json"));
        decisions.add("scheduler: " + scheduler.describe());
        Path tokenizer = folder.resolve("tokenizer");
        if (!Files.isDirectory(tokenizer)) {
            throw new ImportException(null, folder + " has no tokenizer/ folder; prompts cannot be encoded without it");
        }
        Map<String, PipelinePart> parts = new LinkedHashMap<>();
        for (String name : List.of(TEXT_ENCODER, UNET, VAE_DECODER, VAE_ENCODER)) {
            Path model = folder.resolve(name).resolve("model.onnx");
            if (!REQUIRED.contains(name) && !Files.isRegularFile(model)) {
                decisions.add(name + ": absent (optional; only needed to encode images)");
                continue;
            }
            PipelinePart p = PipelinePart.read(name, model, name.equals(UNET));
            parts.put(name, p);
            decisions.add(String.format(Locale.ROOT, "%s: opset %d, inputs %s, outputs %s%s", name, p.opset(),
                    p.inputs().keySet(), p.outputs(), p.externalData().isEmpty() ? ""
                            : ", external data " + p.externalData().stream().map(d -> d.getFileName().toString()).toList()));
        }
        checkUnet(parts.get(UNET), parts.get(TEXT_ENCODER), decisions);
        return new TextToImageFolder(folder, scheduler, tokenizer, parts, combined(folder, parts), List.copyOf(decisions));
    }

    /**
     * How one part stands. The distilled part ({@code trained}) lists every gradient gap
     * ({@link dev.sfd.core.autodiff.GradientCoverage}); a frozen part has none by definition. Every part
     * must open in ONNX Runtime ({@code sessionError} null): the teacher runs the UNet and the text
     * encoder there, the sampler the VAE decoder.
     */
    public record PartCoverage(String part, boolean trained, List<GradientCoverage.Gap> gaps, String sessionError) {

        /** True when nothing blocks this part. */
        public boolean ok() {
            return gaps.isEmpty() && sessionError == null;
        }

        /** One line: what the part needs and whether it has it. */
        public String summary() {
            String role = trained ? (gaps.isEmpty() ? "distilled, every op between its weights and its output has a gradient rule"
                    : "distilled, " + gaps.size() + " gradient gap(s)")
                    : "frozen, runs in ONNX Runtime (no gradient needed)";
            return part + ": " + role + "; ONNX Runtime session " + (sessionError == null ? "OK" : "FAILED: " + sessionError);
        }
    }

    /** Every part's coverage in part order; ONNX Runtime sessions are opened (and closed) under {@code config}. */
    public List<PartCoverage> coverage(SessionConfig config) {
        List<PartCoverage> out = new ArrayList<>();
        parts.forEach((k, v) -> out.add(new PartCoverage(k, v.trained(), v.gradientGaps(), v.sessionError(config))));
        return List.copyOf(out);
    }

    /**
     * One latent [channels, height, width] from the UNet's {@code sample} input, a symbolic dimension
     * taken from the VAE decoder's {@code latent_sample} when that one is static; -1 where both are symbolic.
     */
    public long[] latentShape() {
        PipelinePart unet = unet();
        PipelinePart vae = parts.get(VAE_DECODER);
        String vaeIn = vae == null ? null : vae.inputs().keySet().stream().findFirst().orElse(null);
        long[] shape = new long[3];
        for (int d = 1; d <= 3; d++) {
            long v = unet.dim("sample", d);
            if (v < 0 && vaeIn != null && vae.rank(vaeIn) == 4) {
                v = vae.dim(vaeIn, d);
            }
            shape[d - 1] = v;
        }
        return shape;
    }

    public PipelinePart unet() {
        return parts.get(UNET);
    }

    public PipelinePart textEncoder() {
        return parts.get(TEXT_ENCODER);
    }

    private static void checkUnet(PipelinePart unet, PipelinePart text, List<String> decisions) {
        String subject = "UNet " + unet.model();
        for (String in : List.of("sample", "timestep", "encoder_hidden_states")) {
            if (!unet.inputs().containsKey(in)) {
                throw new ImportException(null, subject + " has inputs " + unet.inputs().keySet() + ", not '" + in
                        + "'; a diffusers text-to-image UNet takes sample, timestep and encoder_hidden_states: re-export "
                        + "with those input names");
            }
        }
        if (unet.rank("sample") != 4) {
            throw new ImportException(null, subject + ": sample has rank " + unet.rank("sample")
                    + ", a latent UNet takes [batch, channels, height, width]");
        }
        int t = unet.elemType("timestep");
        if (t != DataType.INT64_VALUE && t != DataType.FLOAT_VALUE) {
            throw new ImportException(null, subject + ": timestep has ONNX type " + t
                    + "; the discrete DDPM timestep must be int64 (or float) [batch]");
        }
        if (unet.rank("timestep") != 1) {
            throw new ImportException(null, subject + ": timestep has rank " + unet.rank("timestep")
                    + "; SFD evaluates a batch at different noise levels: re-export with a [batch] timestep");
        }
        if (unet.rank("encoder_hidden_states") != 3) {
            throw new ImportException(null, subject + ": encoder_hidden_states has rank "
                    + unet.rank("encoder_hidden_states") + ", must be [batch, tokens, width]");
        }
        if (unet.outputs().size() != 1) {
            throw new ImportException(null, subject + " has outputs " + unet.outputs()
                    + "; a UNet must have exactly one output (out_sample)");
        }
        String ids = text.inputs().keySet().stream().findFirst().orElse("?");
        int it = text.elemType(ids);
        if (!text.inputs().containsKey("input_ids") || (it != DataType.INT64_VALUE && it != DataType.INT32_VALUE)) {
            throw new ImportException(null, "text encoder " + text.model() + " has inputs " + text.inputs().keySet()
                    + "; it must take int32/int64 input_ids [batch, tokens]");
        }
        long dUnet = unet.dim("encoder_hidden_states", 2);
        decisions.add(String.format(Locale.ROOT, "unet: text-conditioned teacher (sample rank 4, timestep %s [batch], "
                + "encoder_hidden_states [batch, tokens, %s] from %s's %s)", t == DataType.INT64_VALUE ? "int64" : "float",
                dUnet < 0 ? "?" : Long.toString(dUnet), TEXT_ENCODER, text.outputs().get(0)));
    }

    private static String combined(Path folder, Map<String, PipelinePart> parts) {
        StringBuilder sb = new StringBuilder();
        parts.forEach((k, v) -> sb.append(k).append('=').append(v.sha256()).append('\n'));
        try {
            for (Path p : List.of(folder.resolve("scheduler").resolve("scheduler_config.json"))) {
                sb.append(p.getFileName()).append('=').append(PipelinePart.sha256(p, List.of())).append('\n');
            }
            try (var files = Files.list(folder.resolve("tokenizer"))) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                    sb.append("tokenizer/").append(p.getFileName()).append('=')
                            .append(PipelinePart.sha256(p, List.of())).append('\n');
                }
            }
            Path tmp = Files.createTempFile("sfd-t2i", ".sha");
            try {
                Files.writeString(tmp, sb);
                return PipelinePart.sha256(tmp, List.of());
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (java.io.IOException e) {
            throw new ImportException(null, "cannot hash " + folder + ": " + e.getMessage());
        }
    }
}
