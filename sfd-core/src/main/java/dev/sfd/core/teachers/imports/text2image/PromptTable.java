package dev.sfd.core.teachers.imports.text2image;

import dev.sfd.core.distill.PromptRows;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompts a streaming trainer has met so far, each given the next index on first sight, with their
 * embeddings from a {@link PromptEncoder} (so the frozen text encoder runs once per distinct prompt). A
 * batch's rows carry these indices; {@link #rows} stacks their embeddings for the student's {@code cond}
 * input. Indices live only in this process: nothing stores them, a restarted trainer re-encodes the
 * prompt texts. Thread-safe.
 */
public final class PromptTable implements PromptRows {

    private final PromptEncoder encoder;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> prompts = new ArrayList<>();

    public PromptTable(PromptEncoder encoder) {
        this.encoder = encoder;
    }

    /** The index of {@code prompt}, adding it (and encoding it once) on first sight. */
    public synchronized int index(String prompt) {
        Integer k = index.get(prompt);
        if (k != null) {
            return k;
        }
        encoder.embedding(prompt); // encoded now, on the thread that met it, and kept by the encoder
        prompts.add(prompt);
        index.put(prompt, prompts.size() - 1);
        return prompts.size() - 1;
    }

    /** The prompt of index {@code k}. */
    public synchronized String prompt(int k) {
        if (k < 0 || k >= prompts.size()) {
            throw new IllegalArgumentException("prompt index " + k + " is outside the " + prompts.size()
                    + " prompts met so far (0.." + (prompts.size() - 1) + ")");
        }
        return prompts.get(k);
    }

    /** The {@link ConditionRef} this process computes for {@code prompt}. */
    public String conditionRef(String prompt) {
        return encoder.conditionRef(prompt);
    }

    @Override
    public synchronized int size() {
        return prompts.size();
    }

    @Override
    public FloatTensor rows(long[] indices) {
        List<String> texts = new ArrayList<>(indices.length);
        for (long k : indices) {
            texts.add(prompt(Math.toIntExact(k)));
        }
        return encoder.embeddings(texts);
    }

    public PromptEncoder encoder() {
        return encoder;
    }
}
