package dev.sfd.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.data.Colour;
import dev.sfd.core.data.Shape;
import dev.sfd.core.data.ShapeSample;
import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.tensor.FloatTensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngImagesTest {

    @TempDir
    Path dir;

    @Test
    void writtenPngDecodesToExpectedSizeAndColours() throws Exception {
        // 3x2x4 image: pixel (row 1, col 2) is pure red, everything else black.
        int h = 2;
        int w = 4;
        float[] data = new float[3 * h * w];
        java.util.Arrays.fill(data, -1f);
        data[0 * h * w + 1 * w + 2] = 1f;
        data[1 * h * w] = 0f; // pixel (0,0) green channel mid grey
        Path file = dir.resolve("sub/one.png");
        PngImages.writePng(new FloatTensor(new long[] {3, h, w}, data), file);

        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(w, read.getWidth());
        assertEquals(h, read.getHeight());
        assertEquals(0xFF0000, read.getRGB(2, 1) & 0xFFFFFF);
        assertEquals(0x000000, read.getRGB(3, 1) & 0xFFFFFF);
        assertEquals(0x008000, read.getRGB(0, 0) & 0xFFFFFF, "0.0 maps to 128");
    }

    @Test
    void shapeSampleRoundTripsThroughPngBytes() throws Exception {
        ShapeSample s = ShapesDataset.sample(4L, Shape.SQUARE, Colour.BLUE);
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(PngImages.toPngBytes(s.image())));
        assertEquals(16, read.getWidth());
        int x = (int) s.spec().centreX();
        int y = (int) s.spec().centreY();
        int rgb = read.getRGB(x, y);
        assertEquals(PngImages.toByte(Colour.BLUE.channel(2) * 2 - 1), rgb & 0xFF);
        assertTrue(((rgb >> 16) & 0xFF) < 64, "red channel of a blue square is low");
    }

    @Test
    void byteMappingClampsAndHandlesNaN() {
        assertEquals(0, PngImages.toByte(-1f));
        assertEquals(255, PngImages.toByte(1f));
        assertEquals(255, PngImages.toByte(7f));
        assertEquals(0, PngImages.toByte(-3f));
        assertEquals(0, PngImages.toByte(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> PngImages.toImage(FloatTensor.zeros(2, 3, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> PngImages.toImage(FloatTensor.zeros(2, 4, 4)));
    }

    @Test
    void labelledGridHasExpectedLayoutAndPixels() throws Exception {
        ShapeSample red = ShapesDataset.sample(1L, Shape.CIRCLE, Colour.RED);
        ShapeSample green = ShapesDataset.sample(2L, Shape.RING, Colour.GREEN);
        int scale = 3;
        ImageGrid grid = new ImageGrid(2, 2, scale)
                .rowLabels(List.of("teacher", "student"))
                .columnLabels(List.of("red circle", "green ring"))
                .set(0, 0, red.image())
                .set(1, 1, green.image());
        Path file = dir.resolve("grid.png");
        grid.writePng(file);
        BufferedImage read = ImageIO.read(file.toFile());

        int cell = 16 * scale;
        int left = PixelFont.width("student", 1) + 2 * ImageGrid.GAP; // the widest row label
        int top = PixelFont.height(1) + 2 * ImageGrid.GAP;
        assertEquals(left + 2 * (cell + ImageGrid.GAP), read.getWidth());
        assertEquals(top + 2 * (cell + ImageGrid.GAP), read.getHeight());

        // Centre of the red circle, scaled: every pixel of that 3x3 block is the red colour.
        int cx = (int) red.spec().centreX();
        int cy = (int) red.spec().centreY();
        int expectedRed = PngImages.toImage(red.image()).getRGB(cx, cy) & 0xFFFFFF;
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                assertEquals(expectedRed, read.getRGB(left + cx * scale + dx, top + cy * scale + dy) & 0xFFFFFF);
            }
        }
        // Centre of the green ring in cell (1,1) is background black (the hole).
        int gx = (int) green.spec().centreX();
        int gy = (int) green.spec().centreY();
        int x = left + cell + ImageGrid.GAP + gx * scale + 1;
        int y = top + cell + ImageGrid.GAP + gy * scale + 1;
        assertEquals(0, read.getRGB(x, y) & 0xFFFFFF);

        // Labels drew some light text pixels into the top margin and the left margin.
        assertTrue(countLight(read, 0, 0, read.getWidth(), top) > 20, "column label pixels");
        assertTrue(countLight(read, 0, top, left, read.getHeight() - top) > 20, "row label pixels");
    }

    @Test
    void gridOfBatchAndMismatchedCellsRejected() {
        var batch = ShapesDataset.batch(new long[] {1, 2, 3, 4, 5});
        BufferedImage img = ImageGrid.ofBatch(batch.images(), 3, 2).render();
        assertEquals(ImageGrid.GAP + 3 * (32 + ImageGrid.GAP), img.getWidth());
        assertEquals(ImageGrid.GAP + 2 * (32 + ImageGrid.GAP), img.getHeight());

        ImageGrid bad = new ImageGrid(1, 2, 1).set(0, 0, FloatTensor.zeros(3, 16, 16)).set(0, 1, FloatTensor.zeros(3, 8, 8));
        IllegalStateException e = assertThrows(IllegalStateException.class, bad::render);
        assertTrue(e.getMessage().contains("all cells must match"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new ImageGrid(1, 1, 1).render());
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(2, 2, 1).rowLabels(List.of("one")));
    }

    private static int countLight(BufferedImage img, int x0, int y0, int w, int h) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                if ((img.getRGB(x, y) & 0xFF) > 0xC0) {
                    n++;
                }
            }
        }
        return n;
    }
}
