package dev.sfd.pipeline.sampler;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.prompt.PromptException;
import dev.sfd.core.teachers.imports.text2image.Captions;
import dev.sfd.core.teachers.imports.text2image.LatentDecoder;
import dev.sfd.core.teachers.imports.text2image.PipelineReference;
import dev.sfd.core.teachers.imports.text2image.PromptEncoder;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.pipeline.teacher.TextPromptCheck;
import java.util.Arrays;

/**
 * The frozen parts of a text-to-image pipeline that a sampler serving its students needs, opened once
 * at start (not per checkpoint): the tokenizer and text encoder ({@link PromptEncoder}, bounded cache),
 * the VAE decoder ({@link LatentDecoder}), the empty prompt's embedding (the ∅ of guidance) and the
 * pipeline's identity (id and combined sha256), which a served text student must have been distilled from.
 * Prompts are checked by the teacher stage's rules ({@link TextPromptCheck}).
 */
public final class TextPipeline implements AutoCloseable {

    private final PipelineReference reference;
    private final PromptEncoder prompts;
    private final LatentDecoder decoder;
    private final TextPromptCheck check;
    private final FloatTensor empty;
    private final long[] imageShape;

    private TextPipeline(PipelineReference reference, PromptEncoder prompts, LatentDecoder decoder, FloatTensor empty,
            long[] imageShape) {
        this.reference = reference;
        this.prompts = prompts;
        this.decoder = decoder;
        this.check = new TextPromptCheck(reference.id(), prompts);
        this.empty = empty;
        this.imageShape = imageShape;
    }

    /**
     * Opens the pipeline {@code spec} names (a folder or its {@code .teacher.json}), keeping at most
     * {@code cacheSize} prompt embeddings, and warms the decoder at batch 1 and {@code warmupBatch}.
     */
    public static TextPipeline open(String spec, SessionConfig session, int cacheSize, int warmupBatch) {
        PipelineReference ref;
        try {
            ref = PipelineReference.resolve(spec);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("sfd.sampler.pipeline '" + spec + "' is not a usable text-to-image "
                    + "pipeline: " + e.getMessage() + "; set it to the pipeline folder (model_index.json) or its "
                    + ".teacher.json the served student was distilled from, or leave it empty for other students", e);
        }
        TextToImageFolder folder = TextToImageFolder.read(ref.folder());
        PromptEncoder prompts = PromptEncoder.open(folder, session, cacheSize);
        LatentDecoder decoder = null;
        try {
            decoder = LatentDecoder.open(folder, session);
            FloatTensor empty = prompts.embedding("");
            long[] imageShape = null;
            for (int b : new int[] {1, Math.max(1, warmupBatch)}) {
                long[] shape = new long[ref.latent().length + 1];
                shape[0] = b;
                System.arraycopy(ref.latent(), 0, shape, 1, ref.latent().length);
                FloatTensor img = decoder.decode(new FloatTensor(shape, new float[(int) Arrays.stream(shape)
                        .reduce(1, (x, y) -> x * y)]));
                imageShape = Arrays.copyOfRange(img.shape(), 1, img.shape().length);
            }
            return new TextPipeline(ref, prompts, decoder, empty, imageShape);
        } catch (RuntimeException e) {
            prompts.close();
            if (decoder != null) {
                decoder.close();
            }
            throw e;
        }
    }

    /** The pipeline's id (its folder's name: what a student records as its teacher). */
    public String id() {
        return reference.id();
    }

    /** The pipeline's combined sha256 (what a student records as its teacher's sha256). */
    public String sha256() {
        return reference.sha256();
    }

    /** Most tokens a prompt keeps. */
    public int maxTokens() {
        return prompts.maxTokens();
    }

    /** One prompt embedding [L, D]. */
    public long[] embeddingShape() {
        return Arrays.copyOfRange(empty.shape(), 1, empty.shape().length);
    }

    /** One latent [C, H, W] (the student's sample shape). */
    public long[] latentShape() {
        return reference.latent();
    }

    /** One decoded image [C, H, W]. */
    public long[] imageShape() {
        return imageShape.clone();
    }

    /**
     * Checks and encodes {@code prompt} ("" = unconditional): a word the tokenizer does not know is
     * INVALID_ARGUMENT naming it; too many tokens are cut and flagged.
     */
    public TextPrompt encode(String prompt) {
        TextPromptCheck.Checked c;
        try {
            c = check.checkText("the prompt", prompt);
        } catch (PromptException e) {
            throw SamplerException.invalid("prompt", e.getMessage());
        }
        return new TextPrompt(c.text(), prompts.embedding(c.text()), c.truncated(), prompts.maxTokens());
    }

    /** The ∅ of classifier-free guidance: the empty prompt's embedding (batch 1, shared by every sample). */
    public Condition unconditional() {
        return Condition.embedding(empty);
    }

    /** Images of {@code latents} [B, C, H, W] in one batched decoder call (chunks of 64). */
    public FloatTensor decode(FloatTensor latents) {
        return decoder.decode(latents);
    }

    /**
     * Up to {@code n} captions of the pipeline's {@code captions.json}, spread over its templates (examples
     * for people); none when the folder has no such file or it cannot be read.
     */
    public java.util.List<String> captionExamples(int n) {
        java.nio.file.Path folder = reference.folder();
        if (!Captions.exist(folder)) {
            return java.util.List.of();
        }
        try {
            java.util.List<String> all = Captions.read(folder).texts();
            java.util.List<String> out = new java.util.ArrayList<>();
            int stride = Math.max(1, all.size() / Math.max(1, n) + 1);
            for (int i = 0; i < all.size() && out.size() < n; i += stride) {
                out.add(all.get(i));
            }
            return out;
        } catch (RuntimeException e) {
            return java.util.List.of();
        }
    }

    /** Prompt embeddings kept now. */
    public int cachedPrompts() {
        return prompts.encodedPrompts();
    }

    @Override
    public void close() {
        try {
            prompts.close();
        } finally {
            decoder.close();
        }
    }
}
