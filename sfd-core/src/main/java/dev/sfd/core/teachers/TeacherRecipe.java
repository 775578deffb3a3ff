package dev.sfd.core.teachers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.diffusion.mixture.Mixture2d;

/**
 * How a built-in teacher is built and pretrained; stored as JSON in the model's
 * {@code sfd.recipe} metadata so a teacher can be reproduced from it.
 *
 * @param dataset          {@code mixture2d} or {@code shapes}
 * @param seed             seeds the initial weights and every training batch
 * @param steps            optimiser steps
 * @param batch            samples per step
 * @param learningRate     Adam learning rate
 * @param lrDropFraction   fraction of the steps after which the rate drops ×0.1 (1 = never)
 * @param pMean            mean of ln σ during training (EDM log-normal σ sampling)
 * @param pStd             standard deviation of ln σ
 * @param sigmaData        σ_d of the EDM preconditioning
 * @param tMin             smallest noise level the teacher is meant for
 * @param tMax             largest noise level (x_N ~ N(0, t_max²))
 * @param conditionDropout probability of dropping each attribute of the condition (∅ for CFG)
 * @param emaHalfLife      half-life in steps of the exported weight average (0 = last weights)
 * @param lossWeighting    name of the λ(t) of the ε loss
 * @param architecture     the network's sizes
 */
public record TeacherRecipe(String dataset, long seed, int steps, int batch, double learningRate,
        double lrDropFraction, double pMean, double pStd, double sigmaData, double tMin, double tMax,
        double conditionDropout, double emaHalfLife, String lossWeighting, Architecture architecture) {

    /** EDM's weighting written on the ε loss: λ(t) = (t²+σ_d²)/σ_d², see {@link EdmPreconditioning}. */
    public static final String EDM_WEIGHTING = "edm: lambda(t)=(t^2+sigma_data^2)/sigma_data^2 on |eps_theta-eps|^2";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Network sizes.
     *
     * @param kind   {@code residual-mlp}, {@code dit} (additive conditioning) or {@code dit-adaln}
     * @param width  hidden width (MLP) or token dimension (DiT)
     * @param depth  residual blocks or transformer blocks
     * @param heads  attention heads (DiT only; 0 otherwise)
     * @param patch  patch size (DiT only; 0 otherwise)
     * @param timeFeatures sinusoidal features of c_noise
     * @param activation   activation of the {@code dit-adaln} MLPs, {@code silu} or {@code gelu-tanh}; recipes written
     *                     before the field existed read as what they used ({@code silu} for the residual MLP,
     *                     {@code gelu-tanh} for the transformers)
     */
    public record Architecture(String kind, int width, int depth, int heads, int patch, int timeFeatures,
            String activation) {

        /** The MLP activations a recipe may name. */
        public static final java.util.List<String> ACTIVATIONS = java.util.List.of("silu", "gelu-tanh");

        public Architecture {
            if (activation == null) {
                activation = "residual-mlp".equals(kind) ? "silu" : "gelu-tanh";
            }
            if (!ACTIVATIONS.contains(activation)) {
                throw new IllegalArgumentException("unknown MLP activation '" + activation + "', expected one of "
                        + ACTIVATIONS);
            }
        }
    }

    public TeacherRecipe {
        if (!TeacherDatasets.NAMES.contains(dataset)) {
            throw new IllegalArgumentException("unknown teacher data set '" + dataset + "', expected one of "
                    + TeacherDatasets.NAMES);
        }
        if (steps < 1 || batch < 1 || !(learningRate > 0) || !(tMin > 0) || !(tMax > tMin) || !(sigmaData > 0)) {
            throw new IllegalArgumentException("invalid teacher recipe: steps=" + steps + ", batch=" + batch
                    + ", lr=" + learningRate + ", t in [" + tMin + ", " + tMax + "], sigma_data=" + sigmaData);
        }
    }

    /** The recipe the committed teacher of {@code dataset} was trained with. */
    public static TeacherRecipe defaults(String dataset) {
        return switch (dataset) {
            case "mixture2d" -> new TeacherRecipe(dataset, 20240501L, 3000, 256, 2e-3, 0.7, -1.2, 1.2,
                    Math.sqrt(Mixture2d.RADIUS * Mixture2d.RADIUS / 2 + Mixture2d.MODE_STD * Mixture2d.MODE_STD),
                    0.002, 80, 0.1, 0, EDM_WEIGHTING, new Architecture("residual-mlp", 64, 3, 0, 0, 16, "silu"));
            case "shapes" -> new TeacherRecipe(dataset, 20240502L, 28000, 96, 1e-3, 0.7, -1.2, 1.2, 0.5,
                    0.002, 80, 0.2, 1000, EDM_WEIGHTING, new Architecture("dit-adaln", 96, 4, 4, 4, 64, "silu"));
            default -> throw new IllegalArgumentException("unknown teacher data set '" + dataset + "', expected one of "
                    + TeacherDatasets.NAMES);
        };
    }

    public TeacherRecipe withSteps(int s) {
        return new TeacherRecipe(dataset, seed, s, batch, learningRate, lrDropFraction, pMean, pStd, sigmaData, tMin,
                tMax, conditionDropout, emaHalfLife, lossWeighting, architecture);
    }

    public TeacherRecipe withBatch(int b) {
        return new TeacherRecipe(dataset, seed, steps, b, learningRate, lrDropFraction, pMean, pStd, sigmaData, tMin,
                tMax, conditionDropout, emaHalfLife, lossWeighting, architecture);
    }

    public TeacherRecipe withLearningRate(double lr) {
        return new TeacherRecipe(dataset, seed, steps, batch, lr, lrDropFraction, pMean, pStd, sigmaData, tMin,
                tMax, conditionDropout, emaHalfLife, lossWeighting, architecture);
    }

    public TeacherRecipe withSeed(long s) {
        return new TeacherRecipe(dataset, s, steps, batch, learningRate, lrDropFraction, pMean, pStd, sigmaData, tMin,
                tMax, conditionDropout, emaHalfLife, lossWeighting, architecture);
    }

    public TeacherRecipe withArchitecture(Architecture a) {
        return new TeacherRecipe(dataset, seed, steps, batch, learningRate, lrDropFraction, pMean, pStd, sigmaData,
                tMin, tMax, conditionDropout, emaHalfLife, lossWeighting, a);
    }

    /** The step from which the learning rate is ×0.1. */
    public long lrDropStep() {
        return Math.max(1, Math.round(steps * lrDropFraction)) + 1;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write teacher recipe as JSON: " + e.getMessage(), e);
        }
    }

    public static TeacherRecipe fromJson(String json) {
        try {
            return JSON.readValue(json, TeacherRecipe.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a teacher recipe: " + e.getOriginalMessage() + " in " + json, e);
        }
    }
}
