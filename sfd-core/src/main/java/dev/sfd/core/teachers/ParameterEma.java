package dev.sfd.core.teachers;

import dev.sfd.core.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of the trained parameters, θ̄ ← β·θ̄ + (1−β)·θ, updated every
 * {@code every} steps with β = halfLife-derived decay^every, so the average has a half-life of
 * {@code halfLifeSteps} optimiser steps whatever the update interval (diffusion models sample
 * markedly better from averaged weights).
 */
final class ParameterEma {

    private final double beta;
    private final int every;
    private final Map<String, float[]> average = new LinkedHashMap<>();

    ParameterEma(double halfLifeSteps, int every) {
        this.every = every;
        this.beta = Math.pow(0.5, every / halfLifeSteps);
    }

    /** Folds in the current parameters if {@code step} (1-based) is an update step. */
    void update(long step, java.util.function.Supplier<Map<String, FloatTensor>> parameters) {
        if (step % every != 0) {
            return;
        }
        parameters.get().forEach((name, value) -> {
            float[] avg = average.get(name);
            if (avg == null) {
                average.put(name, value.data().clone());
                return;
            }
            float[] v = value.data();
            for (int i = 0; i < v.length; i++) {
                avg[i] = (float) (beta * avg[i] + (1 - beta) * v[i]);   // θ̄ ← β·θ̄ + (1−β)·θ
            }
        });
    }

    boolean isEmpty() {
        return average.isEmpty();
    }

    Map<String, float[]> values() {
        return average;
    }
}
