package dev.sfd.core.data;

import dev.sfd.core.tensor.FloatTensor;
import java.util.Objects;
import java.util.Random;

/**
 * The built-in "shapes" data set: small RGB images of one coloured shape (circle, square,
 * triangle, ring × red, green, blue, yellow) at a random position and size on a black background.
 *
 * <p><b>Why 16×16.</b> Large enough that the four shapes are clearly distinguishable (a ring's
 * hole and a triangle's corners survive at the smallest size), small enough that a teacher UNet
 * trains and runs on a CPU in minutes and a trajectory segment is only 3·16·16·4 = 3 KiB.
 *
 * <p><b>Determinism.</b> Each image depends only on its own seed, through {@link java.util.Random}
 * (whose algorithm is fixed by the Java specification), so the same seed gives the same image in
 * any batch, on any JVM. The seed is first scrambled with the SplitMix64 finaliser, because the
 * first outputs of {@code new Random(s)} for consecutive s are strongly correlated (seeds 0…199
 * would otherwise all draw the same few labels). From the scrambled seed are drawn, in this order: shape, colour, radius in
 * [{@value #MIN_RADIUS}, {@value #MAX_RADIUS}] pixels, then the centre, uniformly among positions
 * that keep the whole shape inside the image.
 *
 * <p>Layout: [B, 3, 16, 16] (CHW per image), values in [−1, 1] (background −1).
 */
public final class ShapesDataset {

    /** Image width and height in pixels. */
    public static final int SIZE = 16;
    /** Colour channels (RGB). */
    public static final int CHANNELS = 3;
    /** Smallest shape radius in pixels (keeps a ring's hole at least one pixel wide). */
    public static final double MIN_RADIUS = 3.0;
    /** Largest shape radius in pixels. */
    public static final double MAX_RADIUS = 6.5;
    /** Sub-samples per pixel along each axis used for anti-aliasing. */
    public static final int SUPERSAMPLING = 4;

    private static final ShapeRenderer RENDERER = new ShapeRenderer(SIZE, SUPERSAMPLING);

    private ShapesDataset() {
    }

    /** Shape of one image tensor: [1, 3, 16, 16]. */
    public static long[] imageShape() {
        return new long[] {1, CHANNELS, SIZE, SIZE};
    }

    /** The shape, colour and geometry drawn from {@code seed} (no rendering). */
    public static ShapeSpec spec(long seed) {
        Random random = new Random(mix(seed));
        Shape shape = Shape.values()[random.nextInt(Shape.values().length)];
        Colour colour = Colour.values()[random.nextInt(Colour.values().length)];
        return geometry(random, new ShapeLabel(shape, colour));
    }

    /** The image for {@code seed}. */
    public static ShapeSample sample(long seed) {
        return render(seed, spec(seed));
    }

    /**
     * An image with the given attributes; position and size come from {@code seed} and are the
     * same as those of {@link #sample(long)} for that seed. Useful for conditional sampling and
     * for tests that need every (shape, colour) combination.
     */
    public static ShapeSample sample(long seed, Shape shape, Colour colour) {
        ShapeSpec drawn = spec(seed);
        ShapeSpec forced = new ShapeSpec(new ShapeLabel(Objects.requireNonNull(shape, "shape"),
                Objects.requireNonNull(colour, "colour")), drawn.centreX(), drawn.centreY(), drawn.radius());
        return render(seed, forced);
    }

    /** One image per seed, stacked into [B, 3, 16, 16] in the order of {@code seeds}. */
    public static ShapesBatch batch(long[] seeds) {
        int per = CHANNELS * SIZE * SIZE;
        float[] data = new float[seeds.length * per];
        ShapeSpec[] specs = new ShapeSpec[seeds.length];
        for (int b = 0; b < seeds.length; b++) {
            specs[b] = spec(seeds[b]);
            RENDERER.render(specs[b], data, b * per);
        }
        FloatTensor images = new FloatTensor(new long[] {seeds.length, CHANNELS, SIZE, SIZE}, data);
        return new ShapesBatch(seeds, images, java.util.List.of(specs));
    }

    /** SplitMix64 finaliser: a bijection on longs that spreads nearby seeds far apart. */
    static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static ShapeSpec geometry(Random random, ShapeLabel label) {
        double radius = MIN_RADIUS + random.nextDouble() * (MAX_RADIUS - MIN_RADIUS);
        double cx = radius + random.nextDouble() * (SIZE - 2 * radius);
        double cy = radius + random.nextDouble() * (SIZE - 2 * radius);
        return new ShapeSpec(label, cx, cy, radius);
    }

    private static ShapeSample render(long seed, ShapeSpec spec) {
        return new ShapeSample(seed, spec, new FloatTensor(imageShape(), RENDERER.render(spec)));
    }
}
