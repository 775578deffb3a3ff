package dev.sfd.core.teachers.imports.text2image;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.ImportException;
import dev.sfd.core.tensor.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A pipeline's frozen VAE decoder: latents [B, C, H, W] (as the UNet's ODE ends them) → images, after
 * dividing by the VAE's {@code scaling_factor} as diffusers does ({@code vae.decode(latents / scaling_factor)}).
 * The factor comes from {@code vae_decoder/config.json} (Stable Diffusion's 0.18215 when absent).
 */
public final class LatentDecoder implements AutoCloseable {

    /** diffusers' default {@code scaling_factor} (Stable Diffusion v1). */
    public static final double DEFAULT_SCALING_FACTOR = 0.18215;

    private final OrtSession session;
    private final String input;
    private final String output;
    private final double scalingFactor;

    private LatentDecoder(OrtSession session, String input, String output, double scalingFactor) {
        this.session = session;
        this.input = input;
        this.output = output;
        this.scalingFactor = scalingFactor;
    }

    public static LatentDecoder open(TextToImageFolder folder, SessionConfig config) {
        PipelinePart vae = folder.parts().get(TextToImageFolder.VAE_DECODER);
        double factor = scalingFactor(vae.model().resolveSibling("config.json"));
        String in = vae.inputs().keySet().iterator().next();
        return new LatentDecoder(OrtSessions.open(vae.model(), config), in, vae.outputs().get(0), factor);
    }

    /** {@code scaling_factor} of a VAE {@code config.json}; the default when the file or key is absent. */
    static double scalingFactor(Path config) {
        if (!Files.isRegularFile(config)) {
            return DEFAULT_SCALING_FACTOR;
        }
        try {
            JsonNode n = new ObjectMapper().readTree(config.toFile()).path("scaling_factor");
            double f = n.isNumber() ? n.asDouble() : DEFAULT_SCALING_FACTOR;
            if (!(f > 0) || !Double.isFinite(f)) {
                throw new ImportException(null, "VAE config " + config + ": scaling_factor " + f
                        + " must be a positive number; fix the file");
            }
            return f;
        } catch (IOException e) {
            throw new ImportException(null, "VAE config " + config + " is not JSON: " + e.getMessage());
        }
    }

    public double scalingFactor() {
        return scalingFactor;
    }

    /** Images of {@code latents} [B, C, H, W], decoded in chunks of at most 64. */
    public FloatTensor decode(FloatTensor latents) {
        latents.requireFinite("latents to decode");
        int b = latents.batch();
        int per = latents.sampleSize();
        float[] out = null;
        long[] outShape = null;
        for (int from = 0; from < b; from += 64) {
            int to = Math.min(b, from + 64);
            float[] chunk = new float[(to - from) * per];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (float) (latents.data()[from * per + i] / scalingFactor);
            }
            long[] shape = latents.shape().clone();
            shape[0] = to - from;
            try (OnnxTensor in = OrtTensors.of(chunk, shape); OrtSession.Result r = session.run(Map.of(input, in))) {
                FloatTensor img = OrtTensors.toFloatTensor((OnnxTensor) r.get(output).orElseThrow());
                if (out == null) {
                    outShape = img.shape().clone();
                    outShape[0] = b;
                    out = new float[b * img.sampleSize()];
                }
                System.arraycopy(img.data(), 0, out, from * img.sampleSize(), img.data().length);
            } catch (OrtException e) {
                throw new IllegalStateException("VAE decoder failed on latents " + latents.shapeString() + ": "
                        + e.getMessage(), e);
            }
        }
        return new FloatTensor(outShape, out);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the VAE decoder session", e);
        }
    }
}
