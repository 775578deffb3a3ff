package dev.sfd.core.diffusion;

import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;

/**
 * The conditioning {@code c} of a noise model ε(x, t, c) for a whole batch: either nothing (the
 * null condition ∅ of classifier-free guidance), one integer class label per sample, or one
 * embedding per sample (e.g. a prompt's text-encoder output, batch-first).
 *
 * <p>A label equal to {@link #NULL_LABEL} means "unconditional" for that one sample, so a labelled
 * batch can mix conditional and unconditional rows (that is how guidance batches both branches in
 * one call). An embedding batch may have batch size 1, meaning "the same embedding for every
 * sample" (typical for the ∅ embedding of the empty prompt).
 */
public final class Condition {

    /** Label meaning ∅ (no condition) for one sample. */
    public static final int NULL_LABEL = -1;

    private static final Condition NONE = new Condition(null, null);

    private final int[] labels;
    private final FloatTensor embedding;

    private Condition(int[] labels, FloatTensor embedding) {
        this.labels = labels;
        this.embedding = embedding;
    }

    /** ∅ for any batch size. */
    public static Condition none() {
        return NONE;
    }

    /** One class label per sample; {@link #NULL_LABEL} marks an unconditional sample. */
    public static Condition labels(int... labels) {
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("labels must be non-empty (use Condition.none() for ∅)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < NULL_LABEL) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i
                        + " is negative; only " + NULL_LABEL + " (∅) is allowed below 0");
            }
        }
        return new Condition(labels.clone(), null);
    }

    /** The same label for {@code batch} samples. */
    public static Condition repeatLabel(int label, int batch) {
        int[] l = new int[batch];
        Arrays.fill(l, label);
        return labels(l);
    }

    /** One embedding per sample, batch-first (batch 1 = shared by every sample). */
    public static Condition embedding(FloatTensor embedding) {
        if (embedding == null || embedding.rank() < 2) {
            throw new IllegalArgumentException("an embedding condition needs a batch-first tensor of rank >= 2, got "
                    + (embedding == null ? "null" : embedding.shapeString()));
        }
        embedding.requireFinite("condition embedding");
        return new Condition(null, embedding);
    }

    public boolean isNone() {
        return labels == null && embedding == null;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    public boolean hasEmbedding() {
        return embedding != null;
    }

    /** The labels (a copy); throws if this condition carries none. */
    public int[] labelArray() {
        if (labels == null) {
            throw new IllegalStateException("condition " + this + " carries no labels");
        }
        return labels.clone();
    }

    /** Label of sample {@code i}, or {@link #NULL_LABEL} for ∅. */
    public int labelOf(int i) {
        if (labels == null) {
            if (embedding == null) {
                return NULL_LABEL;
            }
            throw new IllegalStateException("condition " + this + " carries an embedding, not labels");
        }
        return labels[i];
    }

    public FloatTensor embeddingTensor() {
        if (embedding == null) {
            throw new IllegalStateException("condition " + this + " carries no embedding");
        }
        return embedding;
    }

    /** Throws unless this condition can serve a batch of {@code batch} samples. */
    public Condition requireBatch(int batch, String what) {
        if (labels != null && labels.length != batch) {
            throw new IllegalArgumentException(what + ": condition has " + labels.length
                    + " labels but the batch has " + batch + " samples");
        }
        if (embedding != null && embedding.batch() != batch && embedding.batch() != 1) {
            throw new IllegalArgumentException(what + ": condition embedding has batch " + embedding.batch()
                    + " (shape " + embedding.shapeString() + ") but the batch has " + batch + " samples");
        }
        return this;
    }

    /** The embedding expanded to {@code batch} rows (a batch-1 embedding is repeated). */
    public FloatTensor embeddingForBatch(int batch) {
        FloatTensor e = embeddingTensor();
        if (e.batch() == batch) {
            return e;
        }
        if (e.batch() != 1) {
            throw new IllegalArgumentException("condition embedding has batch " + e.batch()
                    + ", cannot expand to " + batch);
        }
        long[] shape = e.shape().clone();
        shape[0] = batch;
        float[] out = new float[e.data().length * batch];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(e.data(), 0, out, b * e.data().length, e.data().length);
        }
        return new FloatTensor(shape, out);
    }

    /**
     * The batch {@code first} (batch {@code n1}) followed by {@code second} (batch {@code n2}), as
     * one condition of batch n1 + n2: how guidance runs the conditional and ∅ branches in one call.
     */
    public static Condition concat(Condition first, int n1, Condition second, int n2) {
        first.requireBatch(n1, "concat (first part)");
        second.requireBatch(n2, "concat (second part)");
        if (first.isNone() && second.isNone()) {
            return NONE;
        }
        if (first.embedding == null && second.embedding == null) {
            int[] l = new int[n1 + n2];
            for (int i = 0; i < n1; i++) {
                l[i] = first.labelOf(i);
            }
            for (int i = 0; i < n2; i++) {
                l[n1 + i] = second.labelOf(i);
            }
            return new Condition(l, null);
        }
        if (first.embedding == null || second.embedding == null) {
            throw new IllegalArgumentException("cannot batch an embedding condition with "
                    + (first.embedding == null ? first : second)
                    + ": give guidance an explicit null embedding (e.g. the empty prompt's)");
        }
        FloatTensor a = first.embeddingForBatch(n1);
        FloatTensor b = second.embeddingForBatch(n2);
        if (a.sampleSize() != b.sampleSize()) {
            throw new IllegalArgumentException("cannot batch embeddings of shapes " + a.shapeString()
                    + " and " + b.shapeString());
        }
        long[] shape = a.shape().clone();
        shape[0] = n1 + n2;
        float[] out = new float[a.data().length + b.data().length];
        System.arraycopy(a.data(), 0, out, 0, a.data().length);
        System.arraycopy(b.data(), 0, out, a.data().length, b.data().length);
        return new Condition(null, new FloatTensor(shape, out));
    }

    @Override
    public String toString() {
        if (isNone()) {
            return "Condition[∅]";
        }
        if (labels != null) {
            return "Condition[labels=" + (labels.length <= 8 ? Arrays.toString(labels) : labels.length + " labels") + "]";
        }
        return "Condition[embedding " + embedding.shapeString() + "]";
    }
}
