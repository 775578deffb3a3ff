package dev.sfd.core.distill;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential moving average of a model's weights (sampling weights of the student, issue 18):
 * after every optimiser step {@code ema ← β·ema + (1 − β)·w}, with β = 0.5^(1/half-life), starting
 * from the weights at construction. Accumulates in double precision; reads the live buffers given
 * at construction. Not thread-safe.
 */
public final class EmaWeights {

    private final double decay;
    private final Map<String, FloatBuffer> live;
    private final Map<String, double[]> average = new LinkedHashMap<>();
    private long updates;

    /**
     * @param live  parameter buffers by name, read (never written) at each {@link #update}
     * @param decay β in [0, 1)
     */
    public EmaWeights(Map<String, FloatBuffer> live, double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
        this.live = Map.copyOf(live);
        live.forEach((name, buf) -> {
            double[] a = new double[buf.capacity()];
            for (int i = 0; i < a.length; i++) {
                a[i] = buf.get(i);
            }
            average.put(name, a);
        });
    }

    /** One EMA step towards the current weights. */
    public void update() {
        double keep = decay;
        double take = 1 - decay;
        average.forEach((name, a) -> {
            FloatBuffer w = live.get(name);
            for (int i = 0; i < a.length; i++) {
                a[i] = keep * a[i] + take * w.get(i);
            }
        });
        updates++;
    }

    /** Updates taken so far. */
    public long updates() {
        return updates;
    }

    /** The averaged weights, as float32 copies by parameter name. */
    public Map<String, float[]> values() {
        Map<String, float[]> out = new LinkedHashMap<>();
        average.forEach((name, a) -> {
            float[] f = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                f[i] = (float) a[i];
            }
            out.put(name, f);
        });
        return out;
    }
}
