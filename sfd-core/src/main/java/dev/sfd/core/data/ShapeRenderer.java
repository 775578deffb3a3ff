package dev.sfd.core.data;

/**
 * Draws one {@link ShapeSpec} into a square RGB image with anti-aliased edges, in plain Java.
 *
 * <p>Anti-aliasing is done by supersampling: each pixel is tested at {@code supersampling²}
 * evenly spaced sub-pixel points, and the fraction inside the shape is its coverage. A pixel's
 * value in channel c is {@code coverage · colour[c]} in [0, 1] over a black background, then
 * mapped to [−1, 1] by {@code 2v − 1}. Output layout is CHW: {@code out[c·size·size + i·size + j]}
 * for row i, column j.
 */
public final class ShapeRenderer {

    /** Ring hole radius as a fraction of the outer radius. */
    public static final double RING_INNER_RATIO = 0.55;

    private final int size;
    private final int supersampling;

    /**
     * @param size          image width and height in pixels
     * @param supersampling sub-samples per pixel along each axis (1 = aliased, 4 = 16 samples)
     */
    public ShapeRenderer(int size, int supersampling) {
        if (size < 1 || supersampling < 1) {
            throw new IllegalArgumentException("size and supersampling must be >= 1, got size " + size
                    + ", supersampling " + supersampling);
        }
        this.size = size;
        this.supersampling = supersampling;
    }

    public int size() {
        return size;
    }

    /** Renders {@code spec} into a new CHW array of length {@code 3·size·size}, values in [−1, 1]. */
    public float[] render(ShapeSpec spec) {
        float[] out = new float[3 * size * size];
        render(spec, out, 0);
        return out;
    }

    /** Renders {@code spec} into {@code out} starting at {@code offset} (CHW, 3·size·size floats). */
    public void render(ShapeSpec spec, float[] out, int offset) {
        int plane = size * size;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                float coverage = coverage(spec, i, j);
                for (int c = 0; c < 3; c++) {
                    out[offset + c * plane + i * size + j] = 2f * coverage * spec.colour().channel(c) - 1f;
                }
            }
        }
    }

    /** Fraction of pixel (row i, column j) inside the shape, in [0, 1]. */
    public float coverage(ShapeSpec spec, int i, int j) {
        int inside = 0;
        for (int sy = 0; sy < supersampling; sy++) {
            double y = i + (sy + 0.5) / supersampling;
            for (int sx = 0; sx < supersampling; sx++) {
                double x = j + (sx + 0.5) / supersampling;
                if (contains(spec, x, y)) {
                    inside++;
                }
            }
        }
        return inside / (float) (supersampling * supersampling);
    }

    /** Whether the point (x, y), in pixel coordinates, lies inside the shape. */
    static boolean contains(ShapeSpec spec, double x, double y) {
        double dx = x - spec.centreX();
        double dy = y - spec.centreY();
        double r = spec.radius();
        return switch (spec.shape()) {
            case CIRCLE -> dx * dx + dy * dy <= r * r;
            case RING -> {
                double d2 = dx * dx + dy * dy;
                double inner = r * RING_INNER_RATIO;
                yield d2 <= r * r && d2 >= inner * inner;
            }
            case SQUARE -> Math.abs(dx) <= r && Math.abs(dy) <= r;
            case TRIANGLE -> insideUprightTriangle(dx, dy, r);
        };
    }

    /**
     * Equilateral triangle pointing up (y grows downwards), circumradius r, centred at the origin:
     * apex (0, −r), base corners (±r·√3/2, r/2).
     */
    private static boolean insideUprightTriangle(double dx, double dy, double r) {
        if (dy > r / 2) {
            return false; // below the base
        }
        // The two slanted edges: |dx| grows linearly from 0 at the apex to r·√3/2 at the base.
        double halfWidthAtY = (dy + r) / (1.5 * r) * (r * Math.sqrt(3) / 2);
        return dy >= -r && Math.abs(dx) <= halfWidthAtY;
    }
}
