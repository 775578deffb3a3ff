package dev.sfd.core.image;

import dev.sfd.core.tensor.FloatTensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A rows × columns grid of equally sized images, scaled up by an integer factor with
 * nearest-neighbour sampling and optionally labelled per row (left) and per column (top), e.g.
 * "teacher NFE 2 / teacher NFE 35 / student NFE 2" rows against prompt columns.
 *
 * <p>Usage: {@code new ImageGrid(2, 4, 4).rowLabels(...).columnLabels(...).set(r, c, img).writePng(path)}.
 * Cells left empty stay background-coloured. Labels use {@link PixelFont} (upper case, no system
 * fonts needed). Cells are separated by {@value #GAP} pixels of dark grey.
 */
public final class ImageGrid {

    /** Pixels between cells and around the grid. */
    public static final int GAP = 2;
    private static final int BACKGROUND = 0x303030;
    private static final int TEXT = 0xE0E0E0;

    private final int rows;
    private final int columns;
    private final int scale;
    private final BufferedImage[][] cells;
    private List<String> rowLabels = List.of();
    private List<String> columnLabels = List.of();
    private int textScale = 1;

    /**
     * @param scale integer magnification of each image (nearest neighbour), e.g. 4 makes a
     *              16×16 image 64×64
     */
    public ImageGrid(int rows, int columns, int scale) {
        if (rows < 1 || columns < 1 || scale < 1) {
            throw new IllegalArgumentException("grid needs rows, columns and scale >= 1, got " + rows + " x "
                    + columns + " at scale " + scale);
        }
        this.rows = rows;
        this.columns = columns;
        this.scale = scale;
        this.cells = new BufferedImage[rows][columns];
    }

    /** A grid of the images of a batch [B, C, H, W], filled row by row, {@code columns} per row. */
    public static ImageGrid ofBatch(FloatTensor batch, int columns, int scale) {
        long[] s = batch.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("expected a batch [B,C,H,W], got " + batch.shapeString());
        }
        int b = batch.batch();
        ImageGrid grid = new ImageGrid(Math.max(1, (b + columns - 1) / columns), columns, scale);
        for (int k = 0; k < b; k++) {
            grid.set(k / columns, k % columns, PngImages.toImage(batch.data(), k * batch.sampleSize(),
                    (int) s[1], (int) s[2], (int) s[3]));
        }
        return grid;
    }

    /** Puts an image tensor ([C,H,W] or [1,C,H,W], values in [−1, 1]) in cell (row, column). */
    public ImageGrid set(int row, int column, FloatTensor image) {
        return set(row, column, PngImages.toImage(image));
    }

    /** Puts an already converted image in cell (row, column). */
    public ImageGrid set(int row, int column, BufferedImage image) {
        if (row < 0 || row >= rows || column < 0 || column >= columns) {
            throw new IndexOutOfBoundsException("cell (" + row + ", " + column + ") outside a " + rows + " x "
                    + columns + " grid");
        }
        cells[row][column] = image;
        return this;
    }

    /** One label per row, drawn left of the row; pass an empty list for none. */
    public ImageGrid rowLabels(List<String> labels) {
        this.rowLabels = checkLabels(labels, rows, "row");
        return this;
    }

    /** One label per column, drawn above the column; pass an empty list for none. */
    public ImageGrid columnLabels(List<String> labels) {
        this.columnLabels = checkLabels(labels, columns, "column");
        return this;
    }

    /** Magnification of label text (default 1: 7 pixels high). */
    public ImageGrid textScale(int textScale) {
        if (textScale < 1) {
            throw new IllegalArgumentException("text scale must be >= 1, got " + textScale);
        }
        this.textScale = textScale;
        return this;
    }

    /** Draws the grid. Throws if no cell is set or cells differ in size. */
    public BufferedImage render() {
        int[] cellSize = cellSize();
        int cellW = cellSize[0] * scale;
        int cellH = cellSize[1] * scale;
        int labelW = rowLabels.stream().mapToInt(l -> PixelFont.width(l, textScale)).max().orElse(0);
        int left = labelW == 0 ? GAP : labelW + 2 * GAP;
        int top = columnLabels.isEmpty() ? GAP : PixelFont.height(textScale) + 2 * GAP;
        int width = left + columns * (cellW + GAP);
        int height = top + rows * (cellH + GAP);

        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out.setRGB(x, y, BACKGROUND);
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                if (cells[r][c] != null) {
                    blitScaled(cells[r][c], out, left + c * (cellW + GAP), top + r * (cellH + GAP));
                }
            }
        }
        int textH = PixelFont.height(textScale);
        for (int r = 0; r < rowLabels.size(); r++) {
            PixelFont.draw(out, rowLabels.get(r), GAP, top + r * (cellH + GAP) + Math.max(0, (cellH - textH) / 2),
                    textScale, TEXT);
        }
        for (int c = 0; c < columnLabels.size(); c++) {
            String label = columnLabels.get(c);
            int x = left + c * (cellW + GAP) + Math.max(0, (cellW - PixelFont.width(label, textScale)) / 2);
            PixelFont.draw(out, label, x, GAP, textScale, TEXT);
        }
        return out;
    }

    /** Renders and writes the grid as a PNG file, creating parent directories. */
    public void writePng(Path file) throws IOException {
        PngImages.writePng(render(), file);
    }

    private int[] cellSize() {
        int[] size = null;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                BufferedImage img = cells[r][c];
                if (img == null) {
                    continue;
                }
                int[] s = {img.getWidth(), img.getHeight()};
                if (size == null) {
                    size = s;
                } else if (!Arrays.equals(size, s)) {
                    throw new IllegalStateException("cell (" + r + ", " + c + ") is " + s[0] + "x" + s[1]
                            + " but earlier cells are " + size[0] + "x" + size[1] + "; all cells must match");
                }
            }
        }
        if (size == null) {
            throw new IllegalStateException("the grid has no images; call set(row, column, image) first");
        }
        return size;
    }

    private void blitScaled(BufferedImage src, BufferedImage dst, int x0, int y0) {
        for (int y = 0; y < src.getHeight() * scale; y++) {
            for (int x = 0; x < src.getWidth() * scale; x++) {
                dst.setRGB(x0 + x, y0 + y, src.getRGB(x / scale, y / scale));
            }
        }
    }

    private static List<String> checkLabels(List<String> labels, int expected, String what) {
        if (!labels.isEmpty() && labels.size() != expected) {
            throw new IllegalArgumentException("got " + labels.size() + " " + what + " labels for " + expected + " "
                    + what + "s");
        }
        return new ArrayList<>(labels);
    }
}
