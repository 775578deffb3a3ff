package dev.sfd.core.metrics;

import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.nn.Conv2d;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.Linear;

/**
 * The shapes classifier: image [B, 3, 16, 16] → three SiLU conv layers (16 ch 16×16, 32 ch 8×8,
 * 32 ch 4×4) → Linear → SiLU = {@code features} [B, {@value #FEATURES}] (the FID features) →
 * Linear = {@code logits} [B, 8]: columns 0–3 score the colours (red, green, blue, yellow),
 * 4–7 the shapes (circle, square, triangle, ring).
 */
public final class ShapesClassifierNet {

    public static final String IMAGE = "image";
    public static final String FEATURES_OUTPUT = "features";
    public static final String LOGITS = "logits";
    public static final int FEATURES = 64;
    public static final int COLOURS = 4;
    public static final int SHAPES = 4;

    private ShapesClassifierNet() {
    }

    public static OnnxModel build(long seed) {
        Init init = new Init(seed);
        GraphBuilder g = GraphBuilder.create("sfd-shapes-classifier");
        String x = g.input(IMAGE, -1, ShapesDataset.CHANNELS, ShapesDataset.SIZE, ShapesDataset.SIZE);
        String h = g.silu(new Conv2d(g, "conv1", 3, 16, 3, 1, 1, init).apply(x));    // 16×16
        h = g.silu(new Conv2d(g, "conv2", 16, 32, 3, 2, 1, init).apply(h));          // 8×8
        h = g.silu(new Conv2d(g, "conv3", 32, 32, 3, 2, 1, init).apply(h));          // 4×4
        h = g.reshape(h, -1, 32 * 4 * 4);
        String features = g.silu(new Linear(g, "fc", 32 * 4 * 4, FEATURES, init).apply(h));
        g.outputAs(features, FEATURES_OUTPUT);
        g.outputAs(new Linear(g, "head", FEATURES, COLOURS + SHAPES, init).apply(features), LOGITS);
        g.metadata("sfd.kind", "classifier");
        g.metadata("sfd.dataset", "shapes");
        return new OnnxModel(g.build());
    }
}
