package dev.sfd.core.data;

import java.util.Objects;

/**
 * Everything needed to draw one image: the label plus the geometry, in pixel coordinates of the
 * {@value ShapesDataset#SIZE}×{@value ShapesDataset#SIZE} image (x to the right, y downwards,
 * pixel (i, j) covers [j, j+1) × [i, i+1), so the image centre is (8, 8)).
 *
 * @param centreX centre of the shape, x
 * @param centreY centre of the shape, y
 * @param radius  half the extent of the shape: circle/ring radius, half the square's side,
 *                circumradius of the (upward-pointing, equilateral) triangle
 */
public record ShapeSpec(ShapeLabel label, double centreX, double centreY, double radius) {

    public ShapeSpec {
        Objects.requireNonNull(label, "label");
        if (!(radius > 0) || !Double.isFinite(centreX) || !Double.isFinite(centreY) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("bad shape geometry: centre (" + centreX + ", " + centreY
                    + "), radius " + radius);
        }
    }

    public Shape shape() {
        return label.shape();
    }

    public Colour colour() {
        return label.colour();
    }
}
