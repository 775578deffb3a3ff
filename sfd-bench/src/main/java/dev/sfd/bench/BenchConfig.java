package dev.sfd.bench;

/**
 * The benchmarked network and step: a DiT-style ε-net over 16×16 RGB images (4×4 patches → 16
 * tokens, width 192, 4 heads, 4 blocks, time embedding; ≈1.9M parameters), batch 64, weighted
 * L2 denoising loss, Adam, 2 threads.
 */
record BenchConfig(int batch, int threads, int channels, int size, int patch, int dim, int heads, int depth,
        int warmupSteps, int rounds, int stepsPerRound) {

    static BenchConfig standard() {
        return new BenchConfig(64, 2, 3, 16, 4, 192, 4, 4, 3, 5, 5);
    }

    int sampleSize() {
        return channels * size * size;
    }
}
