package dev.sfd.core.teachers.imports.text2image;

import dev.sfd.core.diffusion.ClassifierFreeGuidance;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A text-to-image pipeline folder as a text-conditioned teacher in plain Java: prompts are encoded once
 * each by the frozen text encoder ({@link PromptEncoder}), the UNet runs as the contract teacher
 * ({@link TextToImageContract}) in ONNX Runtime, the empty prompt's embedding is the ∅ branch of
 * classifier-free guidance ε̃ = ε_∅ + ω(ε_c − ε_∅) (ω = 1: the conditional branch alone), and the VAE
 * decoder turns the final latents into images ({@link LatentDecoder}). Sample with any solver of the
 * project on the noise range [{@link #tMin()}, {@link #tMax()}], e.g. through
 * {@link dev.sfd.core.metrics.SolverSampler} on {@link #guided(double)}.
 */
public final class TextToImageTeacher implements AutoCloseable {

    private final TextToImageFolder folder;
    private final OnnxModel contract;
    private final long[] latent;
    private final OnnxNoiseModel unet;
    private final PromptEncoder prompts;
    private final LatentDecoder decoder;

    private TextToImageTeacher(TextToImageFolder folder, OnnxModel contract, long[] latent, OnnxNoiseModel unet,
            PromptEncoder prompts, LatentDecoder decoder) {
        this.folder = folder;
        this.contract = contract;
        this.latent = latent;
        this.unet = unet;
        this.prompts = prompts;
        this.decoder = decoder;
    }

    /** Reads {@code dir} and opens the UNet, text encoder and VAE decoder sessions under {@code config}. */
    public static TextToImageTeacher open(Path dir, SessionConfig config) {
        TextToImageFolder folder = TextToImageFolder.read(dir);
        long[] latent = folder.latentShape();
        if (Arrays.stream(latent).anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException("the latent shape of " + dir + " is " + Arrays.toString(latent)
                    + ": symbolic in both the UNet's sample and the VAE decoder's input; import the folder with "
                    + "'sfd teacher import --sample-shape C,H,W' and use its manifest");
        }
        return open(folder, latent, config);
    }

    /** As {@link #open(Path, SessionConfig)} for an already read folder and a known latent [C, H, W]. */
    public static TextToImageTeacher open(TextToImageFolder folder, long[] latent, SessionConfig config) {
        OnnxModel contract = TextToImageContract.of(folder, latent).model();
        OnnxNoiseModel unet = OnnxNoiseModel.open(folder.folder().getFileName().toString(), contract.toBytes(), config,
                OnnxNoiseModel.Names.defaults());
        PromptEncoder prompts = null;
        try {
            prompts = PromptEncoder.open(folder, config);
            return new TextToImageTeacher(folder, contract, latent.clone(), unet, prompts, LatentDecoder.open(folder, config));
        } catch (RuntimeException e) {
            unet.close();
            if (prompts != null) {
                prompts.close();
            }
            throw e;
        }
    }

    /** ε(x, t, c) of the UNet alone (ω = 1); the condition is a text embedding ({@link #condition}). */
    public NoiseModel model() {
        return unet;
    }

    /** Classifier-free guidance at scale ω with the empty prompt as ∅; ω = 1 is {@link #model()} itself. */
    public NoiseModel guided(double omega) {
        return new ClassifierFreeGuidance(unet, omega, Condition.embedding(prompts.embedding("")));
    }

    /** The text-embedding condition of a batch of prompts (one per sample). */
    public Condition condition(List<String> texts) {
        return Condition.embedding(prompts.embeddings(texts));
    }

    public PromptEncoder prompts() {
        return prompts;
    }

    /** Images of final latents. */
    public FloatTensor decode(FloatTensor latents) {
        return decoder.decode(latents);
    }

    public LatentDecoder decoder() {
        return decoder;
    }

    /** The UNet as an SFD-contract teacher (inputs x, t, cond = text embedding; output eps), with its metadata. */
    public OnnxModel contract() {
        return contract;
    }

    public TextToImageFolder folder() {
        return folder;
    }

    /** One latent [C, H, W]. */
    public long[] latentShape() {
        return latent.clone();
    }

    /** Smallest σ of the scheduler's ᾱ table. */
    public double tMin() {
        return table().sigmaMin();
    }

    /** Largest σ of the scheduler's ᾱ table. */
    public double tMax() {
        return table().sigmaMax();
    }

    private AlphaBarTable table() {
        return folder.scheduler().alphaBar();
    }

    @Override
    public void close() {
        unet.close();
        prompts.close();
        decoder.close();
    }
}
