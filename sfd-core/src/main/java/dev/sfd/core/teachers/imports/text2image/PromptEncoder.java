package dev.sfd.core.teachers.imports.text2image;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline's frozen text side: free-text prompt → tokens ({@link PipelineTokenizer}) → the text
 * encoder in ONNX Runtime → the embedding [1, L, D] the UNet takes as {@code encoder_hidden_states}.
 * Each distinct prompt is encoded once and kept in a bounded least-recently-used cache
 * ({@link #DEFAULT_CACHE_SIZE} prompts unless opened with another size): a long-running service that sees
 * free text from many callers re-encodes a prompt that fell out, it does not grow without end. The empty
 * prompt's embedding is the ∅ branch of classifier-free guidance.
 */
public final class PromptEncoder implements AutoCloseable {

    private final PipelineTokenizer tokenizer;
    private final OrtSession session;
    private final String input;
    private final String output;
    private final boolean int32;
    private final Path workDir; // holds a generated tokenizer.json (CLIP vocab.json + merges.txt); deleted on close
    private final Map<String, FloatTensor> cache;
    private final int cacheSize;

    /** Prompts kept by {@link #open(TextToImageFolder, SessionConfig)} (a training run's prompt set fits). */
    public static final int DEFAULT_CACHE_SIZE = 4096;

    private PromptEncoder(PipelineTokenizer tokenizer, OrtSession session, String input, String output, boolean int32,
            Path workDir, int cacheSize) {
        this.workDir = workDir;
        this.cacheSize = cacheSize;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FloatTensor> eldest) {
                return size() > PromptEncoder.this.cacheSize;
            }
        };
        this.tokenizer = tokenizer;
        this.session = session;
        this.input = input;
        this.output = output;
        this.int32 = int32;
    }

    /** The tokenizer and text encoder of {@code folder}, the encoder's session under {@code config}. */
    public static PromptEncoder open(TextToImageFolder folder, SessionConfig config) {
        return open(folder, config, DEFAULT_CACHE_SIZE);
    }

    /** As {@link #open(TextToImageFolder, SessionConfig)}, keeping at most {@code cacheSize} prompts' embeddings. */
    public static PromptEncoder open(TextToImageFolder folder, SessionConfig config, int cacheSize) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("prompt cache size must be >= 1 (prompts whose embeddings are kept), got "
                    + cacheSize + "; use 1 to keep only the last prompt");
        }
        Path work;
        try {
            work = Files.createTempDirectory("sfd-tokenizer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work folder for the tokenizer of " + folder.folder(), e);
        }
        PipelinePart text = folder.textEncoder();
        PipelineTokenizer tokenizer = PipelineTokenizer.load(folder.tokenizerDir(), work);
        OrtSession session = OrtSessions.open(text.model(), config);
        return new PromptEncoder(tokenizer, session, "input_ids", text.outputs().get(0),
                text.elemType("input_ids") == ai.onnx.proto.OnnxMl.TensorProto.DataType.INT32_VALUE, work, cacheSize);
    }

    /** The embedding [1, L, D] of {@code prompt} (encoded once while it stays in the cache). */
    public FloatTensor embedding(String prompt) {
        if (prompt == null) {
            throw new IllegalArgumentException("prompt is null: pass \"\" for the unconditional (empty) prompt");
        }
        synchronized (cache) {
            FloatTensor kept = cache.get(prompt);
            if (kept != null) {
                return kept;
            }
        }
        FloatTensor e = encode(prompt); // outside the cache lock: cached prompts are not held up by a new one
        synchronized (cache) {
            cache.put(prompt, e);
        }
        return e;
    }

    /** The embeddings of {@code prompts}, stacked batch-first [n, L, D]. */
    public FloatTensor embeddings(List<String> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to encode: give at least one (\"\" = unconditional)");
        }
        FloatTensor first = embedding(prompts.get(0));
        int per = first.data().length;
        float[] out = new float[per * prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            System.arraycopy(embedding(prompts.get(i)).data(), 0, out, i * per, per);
        }
        long[] shape = first.shape().clone();
        shape[0] = prompts.size();
        return new FloatTensor(shape, out);
    }

    /**
     * The tokens of {@code prompt} as the text encoder gets them (padded or truncated to the tokenizer's max
     * length, {@link PipelineTokenizer.Tokens#truncated()} and {@code unknown} reported). Safe on any thread.
     */
    public PipelineTokenizer.Tokens tokens(String prompt) {
        synchronized (tokenizer) {
            return tokenizer.encode(prompt);
        }
    }

    /** The {@link ConditionRef} of {@code prompt}'s tokens. */
    public String conditionRef(String prompt) {
        return ConditionRef.of(tokens(prompt).ids());
    }

    /** Most tokens a prompt keeps (the tokenizer's max length). */
    public int maxTokens() {
        return tokenizer.maxLength();
    }

    /** Prompts whose embeddings are kept now (at most {@link #cacheSize()}). */
    public int encodedPrompts() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /** Most prompts whose embeddings are kept. */
    public int cacheSize() {
        return cacheSize;
    }

    private FloatTensor encode(String prompt) {
        long[] ids = tokens(prompt).ids();
        try (OnnxTensor in = int32 ? ints(ids) : OrtTensors.longs(ids, 1, ids.length);
                OrtSession.Result r = session.run(Map.of(input, in))) {
            FloatTensor e = OrtTensors.toFloatTensor((OnnxTensor) r.get(output).orElseThrow());
            return e.requireFinite("text embedding of prompt '" + prompt + "'");
        } catch (OrtException e) {
            throw new IllegalStateException("text encoder failed on prompt '" + prompt + "' (" + ids.length
                    + " tokens): " + e.getMessage(), e);
        }
    }

    private static OnnxTensor ints(long[] ids) throws OrtException {
        int[] v = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            v[i] = Math.toIntExact(ids[i]);
        }
        return OnnxTensor.createTensor(OrtSessions.environment(), java.nio.IntBuffer.wrap(v), new long[] {1, ids.length});
    }

    @Override
    public void close() {
        tokenizer.close();
        try (var files = Files.walk(workDir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary tokenizer file is harmless
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the text encoder session", e);
        }
    }
}
