package dev.sfd.core.image;

import dev.sfd.core.tensor.FloatTensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Converts image tensors with values in [−1, 1] to 8-bit RGB images and PNG files.
 *
 * <p>Accepted tensor shapes: [C, H, W] or [1, C, H, W] with C = 3 (RGB) or C = 1 (grey). A value
 * v maps to the byte {@code round((v + 1) · 127.5)}, clamped to 0…255; NaN maps to 0 so that a
 * broken sample still renders (as black) instead of failing a whole grid.
 */
public final class PngImages {

    private PngImages() {
    }

    /** The 8-bit RGB image of {@code image} ([C,H,W] or [1,C,H,W], C ∈ {1, 3}). */
    public static BufferedImage toImage(FloatTensor image) {
        long[] s = image.shape();
        long[] chw = switch (s.length) {
            case 3 -> s;
            case 4 -> {
                if (s[0] != 1) {
                    throw new IllegalArgumentException("expected a single image [1,C,H,W], got shape "
                            + image.shapeString() + "; pick one sample first");
                }
                yield new long[] {s[1], s[2], s[3]};
            }
            default -> throw new IllegalArgumentException("expected image shape [C,H,W] or [1,C,H,W], got "
                    + image.shapeString());
        };
        return toImage(image.data(), 0, Math.toIntExact(chw[0]), Math.toIntExact(chw[1]), Math.toIntExact(chw[2]));
    }

    /** The 8-bit RGB image of the CHW block starting at {@code offset} of {@code data}. */
    public static BufferedImage toImage(float[] data, int offset, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images need 1 or 3 channels, got " + channels);
        }
        if (height < 1 || width < 1 || offset < 0 || offset + channels * height * width > data.length) {
            throw new IllegalArgumentException("a " + channels + "x" + height + "x" + width + " image at offset "
                    + offset + " does not fit in " + data.length + " floats");
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                int p = offset + i * width + j;
                int r = toByte(data[p]);
                int g = channels == 3 ? toByte(data[p + plane]) : r;
                int b = channels == 3 ? toByte(data[p + 2 * plane]) : r;
                out.setRGB(j, i, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /** Maps a value in [−1, 1] to 0…255 (clamped; NaN → 0). */
    public static int toByte(float v) {
        if (Float.isNaN(v)) {
            return 0;
        }
        long b = Math.round((Math.max(-1f, Math.min(1f, v)) + 1.0) * 127.5);
        return (int) b;
    }

    /** PNG bytes of {@code image} (see {@link #toImage(FloatTensor)}). */
    public static byte[] toPngBytes(FloatTensor image) {
        return toPngBytes(toImage(image));
    }

    /** PNG bytes of an already converted image. */
    public static byte[] toPngBytes(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available in javax.imageio");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding PNG in memory failed", e);
        }
        return out.toByteArray();
    }

    /** Writes {@code image} as a PNG file, creating parent directories. */
    public static void writePng(FloatTensor image, Path file) throws IOException {
        writePng(toImage(image), file);
    }

    /** Writes an already converted image as a PNG file, creating parent directories. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, toPngBytes(image));
    }
}
