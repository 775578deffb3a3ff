package dev.sfd.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.tensor.FloatTensor;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShapesDatasetTest {

    private static final int PLANE = ShapesDataset.SIZE * ShapesDataset.SIZE;

    @Test
    void sameSeedGivesSameImageRegardlessOfBatch() {
        ShapeSample alone = ShapesDataset.sample(42L);
        ShapesBatch batch = ShapesDataset.batch(new long[] {7L, 42L, 99L});
        ShapesBatch other = ShapesDataset.batch(new long[] {42L});

        assertArrayEquals(alone.image().data(), batch.images().sample(1));
        assertArrayEquals(alone.image().data(), other.images().sample(0));
        assertEquals(alone.label(), batch.labels().get(1));
        assertArrayEquals(new long[] {3, 3, 16, 16}, batch.images().shape());
        assertArrayEquals(ShapesDataset.sample(42L).image().data(), alone.image().data());
    }

    @Test
    void differentSeedsGiveDifferentImagesAndCoverAllLabels() {
        Set<ShapeLabel> seen = new HashSet<>();
        Set<String> distinctImages = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            ShapeSample s = ShapesDataset.sample(seed);
            seen.add(s.label());
            distinctImages.add(java.util.Arrays.toString(s.image().data()));
        }
        assertEquals(16, seen.size(), "all 16 (shape, colour) combinations drawn in 200 seeds");
        assertEquals(200, distinctImages.size());
    }

    @Test
    void valuesStayInMinusOneToOneWithBlackBackground() {
        ShapesBatch batch = ShapesDataset.batch(new long[] {1, 2, 3, 4, 5, 6, 7, 8});
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : batch.images().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(-1f, min, 0f, "background is exactly -1");
        assertTrue(max <= 1f && max > 0.5f, "max " + max);
    }

    @Test
    void everyCombinationHasExpectedDominantChannelAndCoverage() {
        for (Shape shape : Shape.values()) {
            for (Colour colour : Colour.values()) {
                for (long seed : new long[] {3L, 11L, 12345L}) {
                    ShapeSample s = ShapesDataset.sample(seed, shape, colour);
                    assertEquals(new ShapeLabel(shape, colour), s.label());
                    double[] mean = new double[3]; // mean intensity in [0,1] per channel
                    float[] d = s.image().data();
                    int covered = 0;
                    for (int p = 0; p < PLANE; p++) {
                        float brightest = -1f;
                        for (int c = 0; c < 3; c++) {
                            mean[c] += (d[c * PLANE + p] + 1) / 2 / PLANE;
                            brightest = Math.max(brightest, d[c * PLANE + p]);
                        }
                        if (brightest > 0f) {
                            covered++;
                        }
                    }
                    String what = colour + " " + shape + " seed " + seed + " means " + java.util.Arrays.toString(mean);
                    assertTrue(covered >= 8, what + ": only " + covered + " lit pixels");
                    assertTrue(covered <= PLANE * 0.75, what + ": " + covered + " lit pixels");
                    switch (colour) {
                        case RED -> assertTrue(mean[0] > 3 * mean[1] && mean[0] > 3 * mean[2], what);
                        case GREEN -> assertTrue(mean[1] > 3 * mean[0] && mean[1] > 3 * mean[2], what);
                        case BLUE -> assertTrue(mean[2] > 3 * mean[0] && mean[2] > 3 * mean[1], what);
                        case YELLOW -> assertTrue(mean[0] > 3 * mean[2] && mean[1] > 3 * mean[2], what);
                    }
                }
            }
        }
    }

    @Test
    void circleAndRingDifferAtTheCentrePixel() {
        for (long seed = 0; seed < 20; seed++) {
            ShapeSample circle = ShapesDataset.sample(seed, Shape.CIRCLE, Colour.GREEN);
            ShapeSample ring = ShapesDataset.sample(seed, Shape.RING, Colour.GREEN);
            int i = (int) Math.floor(circle.spec().centreY());
            int j = (int) Math.floor(circle.spec().centreX());
            float circleG = pixel(circle.image(), 1, i, j);
            float ringG = pixel(ring.image(), 1, i, j);
            assertTrue(circleG > 0.5f, "circle centre is lit, seed " + seed + ": " + circleG);
            assertEquals(-1f, ringG, 1e-6f, "ring centre is background, seed " + seed);
        }
    }

    @Test
    void edgesAreAntiAliased() {
        // With supersampling some pixels are partly covered: values strictly between the
        // background and the full colour.
        ShapeSample s = ShapesDataset.sample(5L, Shape.CIRCLE, Colour.RED);
        int partial = 0;
        for (int p = 0; p < PLANE; p++) {
            float r = s.image().data()[p];
            if (r > -0.95f && r < 0.95f) {
                partial++;
            }
        }
        assertTrue(partial >= 4, "partially covered edge pixels: " + partial);
    }

    @Test
    void shapesAreDistinguishable() {
        // Same geometry, four shapes: four different images.
        Set<String> images = new HashSet<>();
        for (Shape shape : EnumSet.allOf(Shape.class)) {
            images.add(java.util.Arrays.toString(ShapesDataset.sample(8L, shape, Colour.BLUE).image().data()));
        }
        assertEquals(4, images.size());
        assertFalse(images.isEmpty());
    }

    private static float pixel(FloatTensor image, int c, int i, int j) {
        return image.data()[c * PLANE + i * ShapesDataset.SIZE + j];
    }
}
