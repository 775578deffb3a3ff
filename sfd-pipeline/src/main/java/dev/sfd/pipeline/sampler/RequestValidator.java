package dev.sfd.pipeline.sampler;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.prompt.PromptException;
import dev.sfd.core.prompt.PromptRequest;
import dev.sfd.pipeline.PromptLabeler;
import java.util.function.LongSupplier;

/**
 * Checks a {@link GenerateInput} against the served student and the {@link SamplerLimits}. Every
 * refusal is a {@link SamplerException} of kind INVALID_ARGUMENT whose message starts with the
 * field's name and says what would be accepted.
 */
public final class RequestValidator {

    private final SamplerLimits limits;
    private final LongSupplier seedSource;
    private final TextPipeline text; // null: no pipeline configured

    /**
     * @param seedSource draws the first seed when a request gives none (the seeds used are
     *                   returned with every sample, so each draw is recorded)
     */
    public RequestValidator(SamplerLimits limits, LongSupplier seedSource) {
        this(limits, seedSource, null);
    }

    /** As above, for a sampler configured with a text-to-image pipeline (null: none). */
    public RequestValidator(SamplerLimits limits, LongSupplier seedSource, TextPipeline text) {
        this.limits = limits;
        this.seedSource = seedSource;
        this.text = text;
    }

    /** Checks a request to a label (or unconditional) student. */
    public SampleRequest validate(GenerateInput in, StudentMetadata meta) {
        return validate(in, meta, false);
    }

    /**
     * Checks a request to the served student; {@code textStudent}: it takes prompt embeddings (then the
     * prompt is checked and encoded here, on the caller's thread).
     */
    public SampleRequest validate(GenerateInput in, StudentMetadata meta, boolean textStudent) {
        if (textStudent) {
            return validateText(in, meta);
        }
        int label = label(in, meta);
        int steps = steps(in, meta);
        double omega = guidance(in, meta);
        long[] seeds = seeds(in);
        boolean png = png(in, meta);
        return new SampleRequest(label, steps, omega, seeds, png);
    }

    /**
     * A text student: free text (not empty; absent = unconditional, the empty prompt), no label; any
     * guidance in the limits (∅ = the empty prompt); PNG of the decoded image by default, decoded floats
     * for TENSOR, the latents for LATENT.
     */
    private SampleRequest validateText(GenerateInput in, StudentMetadata meta) {
        if (text == null) {
            throw new SamplerException(SamplerException.Kind.UNAVAILABLE, null, "the served student takes text "
                    + "embeddings but this sampler has no text-to-image pipeline (sfd.sampler.pipeline); set it");
        }
        if (in.label() != null) {
            throw SamplerException.invalid("label", "the served student is a text-to-image student of '" + text.id()
                    + "': it takes free text, not a class label (got " + in.label() + "); send prompt instead, e.g. "
                    + "\"a small red circle on the left\" (leave both unset for an unconditional sample)");
        }
        String prompt = "";
        if (in.prompt() != null) {
            if (in.prompt().length() > PromptRequest.MAX_PROMPT_CHARS) {
                throw SamplerException.invalid("prompt", "is " + in.prompt().length() + " characters long; the limit is "
                        + PromptRequest.MAX_PROMPT_CHARS + " (the same as the teacher's prompt records): shorten it");
            }
            if (in.prompt().isBlank()) {
                throw SamplerException.invalid("prompt", "is empty; give a description in words the tokenizer of '"
                        + text.id() + "' knows, or leave the prompt unset for an unconditional sample");
            }
            prompt = in.prompt();
        }
        int steps = steps(in, meta);
        double omega = guidance(in, meta, true);
        long[] seeds = seeds(in);
        GenerateInput.OutputKind out = in.output() == null ? GenerateInput.OutputKind.DEFAULT : in.output();
        boolean latent = out == GenerateInput.OutputKind.LATENT;
        boolean png = !latent && out != GenerateInput.OutputKind.TENSOR;
        if (png && !isImage(text.imageShape())) {
            throw SamplerException.invalid("output", "PNG needs images of shape [1|3, H, W]; the VAE decoder of '"
                    + text.id() + "' gives " + java.util.Arrays.toString(text.imageShape())
                    + ": ask for OUTPUT_FORMAT_TENSOR or OUTPUT_FORMAT_LATENT");
        }
        TextPrompt encoded = text.encode(prompt); // on this thread: the model thread only stacks embeddings
        return new SampleRequest(Condition.NULL_LABEL, steps, omega, seeds, png, latent, encoded);
    }

    private int label(GenerateInput in, StudentMetadata meta) {
        boolean conditional = meta.classes() > 0;
        if (in.prompt() != null) {
            if (in.label() != null) {
                throw SamplerException.invalid("prompt", "give a prompt or a label, not both");
            }
            if (in.prompt().length() > PromptRequest.MAX_PROMPT_CHARS) {
                throw SamplerException.invalid("prompt", "is " + in.prompt().length() + " characters long; the limit is "
                        + PromptRequest.MAX_PROMPT_CHARS + " (the same as the teacher's prompt records): shorten it");
            }
            if (in.prompt().isBlank()) {
                throw SamplerException.invalid("prompt", "is empty; give words the '" + meta.dataset()
                        + "' student knows, or leave the prompt unset (or label = -1) for an unconditional sample");
            }
            if (!conditional) {
                throw SamplerException.invalid("prompt", "the served '" + meta.dataset()
                        + "' student is unconditional; leave the prompt unset");
            }
            PromptLabeler labeler;
            try {
                labeler = PromptLabeler.forDataset(meta.dataset());
            } catch (IllegalArgumentException e) {
                throw SamplerException.invalid("prompt", "the served student's data set '" + meta.dataset()
                        + "' has no prompt vocabulary; send a class label 0.." + (meta.classes() - 1) + " instead");
            }
            int label;
            try {
                label = labeler.label(in.prompt());
            } catch (PromptException e) {
                throw SamplerException.invalid("prompt", e.getMessage());
            }
            if (label == Condition.NULL_LABEL) {
                throw SamplerException.invalid("prompt", "no word of \"" + shorten(in.prompt())
                        + "\" is in the '" + meta.dataset() + "' vocabulary; use its words (e.g. "
                        + example(meta.dataset()) + ") or label = -1 for an unconditional sample");
            }
            return label;
        }
        if (in.label() != null) {
            int l = in.label();
            if (l == Condition.NULL_LABEL) {
                return l;
            }
            if (!conditional) {
                throw SamplerException.invalid("label", "the served student is unconditional; only -1 (or no label) "
                        + "is accepted, got " + l);
            }
            if (l < 0 || l >= meta.classes()) {
                throw SamplerException.invalid("label", "must be -1 (unconditional) or in 0.." + (meta.classes() - 1)
                        + ", got " + l);
            }
            return l;
        }
        return Condition.NULL_LABEL;
    }

    private int steps(GenerateInput in, StudentMetadata meta) {
        int min = meta.afs() ? 2 : 1;
        if (in.steps() != null && in.nfe() != null) {
            throw SamplerException.invalid("steps", "give steps or nfe, not both");
        }
        if (in.steps() != null) {
            int n = in.steps();
            if (n < min || n > limits.maxSteps()) {
                throw SamplerException.invalid("steps", "must be in " + min + ".." + limits.maxSteps() + ", got " + n
                        + (meta.afs() && n == 1 ? " (the first step is analytic: N = 1 makes no network call)" : "")
                        + "; trained N: " + meta.stepCounts());
            }
            return n;
        }
        if (in.nfe() != null) {
            int nfe = in.nfe();
            if (nfe < 1 || nfe > limits.maxSteps()) {
                throw SamplerException.invalid("nfe", "must be in 1.." + limits.maxSteps() + ", got " + nfe
                        + "; trained NFE: " + meta.stepCounts().stream().map(meta::nfe).toList());
            }
            return meta.stepsForNfe(nfe);
        }
        return meta.stepCounts().get(0);
    }

    private double guidance(GenerateInput in, StudentMetadata meta) {
        return guidance(in, meta, false);
    }

    private double guidance(GenerateInput in, StudentMetadata meta, boolean textStudent) {
        if (in.guidance() == null) {
            return 1.0;
        }
        double w = in.guidance();
        if (!Double.isFinite(w)) {
            throw SamplerException.invalid("guidance", "must be a finite number, got " + w);
        }
        if (w < limits.minGuidance() || w > limits.maxGuidance()) {
            throw SamplerException.invalid("guidance", "must be in [" + limits.minGuidance() + ", "
                    + limits.maxGuidance() + "], got " + w);
        }
        if (w != 1.0 && meta.classes() == 0 && !textStudent) {
            throw SamplerException.invalid("guidance", "the served student is unconditional: only 1 is accepted, got "
                    + w);
        }
        return w;
    }

    private long[] seeds(GenerateInput in) {
        long[] given = in.seeds() == null ? new long[0] : in.seeds();
        if (given.length > limits.maxCount()) {
            throw SamplerException.invalid("seeds", "has " + given.length + " seeds; at most " + limits.maxCount()
                    + " samples per request");
        }
        if (given.length > 0) {
            if (in.count() != 0 && in.count() != given.length) {
                throw SamplerException.invalid("count", "is " + in.count() + " but " + given.length
                        + " seeds were given; send count = 0 or the number of seeds");
            }
            return given.clone();
        }
        int count = in.count() == 0 ? 1 : in.count(); // proto3 cannot tell 0 from unset: 0 means the default, 1
        if (count < 1 || count > limits.maxCount()) {
            throw SamplerException.invalid("count", "must be in 1.." + limits.maxCount() + " (0 or unset = 1), got "
                    + count);
        }
        long first = in.seed() != null ? in.seed() : seedSource.getAsLong();
        // seeds are uint64 on the wire: seed + count - 1 must not pass 2^64 - 1 (the teacher refuses the same)
        long last = -1L - (count - 1); // the largest first seed, unsigned
        if (Long.compareUnsigned(first, last) > 0) {
            throw SamplerException.invalid("seed", "is " + Long.toUnsignedString(first) + ": the seeds seed..seed+"
                    + (count - 1) + " overflow a 64-bit unsigned integer; use a seed <= " + Long.toUnsignedString(last)
                    + " or give the seeds one by one");
        }
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = first + i;
        }
        return seeds;
    }

    private static boolean png(GenerateInput in, StudentMetadata meta) {
        boolean image = isImage(meta.sampleShape());
        return switch (in.output() == null ? GenerateInput.OutputKind.DEFAULT : in.output()) {
            case DEFAULT -> image;
            case TENSOR -> false;
            case LATENT -> throw SamplerException.invalid("output", "OUTPUT_FORMAT_LATENT is for text-to-image students "
                    + "(latents before the VAE decoder); the served '" + meta.dataset() + "' student's samples are "
                    + "final: ask for OUTPUT_FORMAT_TENSOR, OUTPUT_FORMAT_RAW or OUTPUT_FORMAT_PNG");
            case PNG -> {
                if (!image) {
                    throw SamplerException.invalid("output", "PNG needs an image student (sample shape [1|3, H, W]); "
                            + "the '" + meta.dataset() + "' student's samples are "
                            + java.util.Arrays.toString(meta.sampleShape()) + ": ask for OUTPUT_FORMAT_TENSOR");
                }
                yield true;
            }
        };
    }

    /** Whether samples of this shape are images ([C, H, W], C = 1 or 3). */
    public static boolean isImage(long[] sampleShape) {
        return sampleShape.length == 3 && (sampleShape[0] == 1 || sampleShape[0] == 3);
    }

    private static String example(String dataset) {
        return switch (dataset) {
            case "shapes" -> "\"a red circle\"";
            case "mixture2d" -> "a mode's name or colour";
            default -> "a class name";
        };
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
