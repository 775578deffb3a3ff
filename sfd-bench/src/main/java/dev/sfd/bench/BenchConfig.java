package dev.sfd.bench;

import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.teachers.TeacherRecipe;

/**
 * The benchmarked network and step: the built-in {@code shapes} teacher's architecture and
 * pretraining step (its recipe: DiT with adaLN-Zero over 4×4 patches of 16×16 RGB images, EDM
 * preconditioning in the graph, weighted ε loss, Adam) at the recipe's batch size, 2 threads.
 */
record BenchConfig(TeacherRecipe recipe, int threads, int warmupSteps, int rounds, int stepsPerRound) {

    static BenchConfig standard() {
        return new BenchConfig(TeacherRecipe.defaults("shapes"), 2, 5, 5, 10);
    }

    BenchConfig withRounds(int r) {
        return new BenchConfig(recipe, threads, warmupSteps, r, stepsPerRound);
    }

    int batch() {
        return recipe.batch();
    }

    long[] imageShape() {
        return new long[] {batch(), ShapesDataset.CHANNELS, ShapesDataset.SIZE, ShapesDataset.SIZE};
    }
}
