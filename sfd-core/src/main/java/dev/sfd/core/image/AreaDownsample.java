package dev.sfd.core.image;

import dev.sfd.core.tensor.FloatTensor;

/**
 * Box-filter downsampling of square images [B, C, S, S] to [B, C, s, s] when s divides S: each output
 * pixel is the mean of its (S/s)² input pixels (e.g. a 32×32 decoded image for the 16×16 shapes classifier).
 */
public final class AreaDownsample {

    private AreaDownsample() {
    }

    public static FloatTensor to(FloatTensor images, int size) {
        long[] s = images.shape();
        if (s.length != 4 || s[2] != s[3] || size < 1 || s[2] % size != 0) {
            throw new IllegalArgumentException("area downsampling takes square images [B, C, S, S] with S a multiple of "
                    + size + ", got " + images.shapeString());
        }
        int b = (int) s[0];
        int c = (int) s[1];
        int big = (int) s[2];
        int f = big / size;
        if (f == 1) {
            return images;
        }
        float[] in = images.data();
        float[] out = new float[b * c * size * size];
        double norm = 1.0 / (f * f);
        for (int plane = 0; plane < b * c; plane++) {
            int inBase = plane * big * big;
            int outBase = plane * size * size;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double sum = 0;
                    for (int dy = 0; dy < f; dy++) {
                        int row = inBase + (y * f + dy) * big + x * f;
                        for (int dx = 0; dx < f; dx++) {
                            sum += in[row + dx];
                        }
                    }
                    out[outBase + y * size + x] = (float) (sum * norm);
                }
            }
        }
        return new FloatTensor(new long[] {b, c, size, size}, out);
    }
}
