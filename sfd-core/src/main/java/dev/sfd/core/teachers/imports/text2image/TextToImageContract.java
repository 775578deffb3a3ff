package dev.sfd.core.teachers.imports.text2image;

import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.onnx.ExternalData;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.teachers.imports.ImportException;
import dev.sfd.core.teachers.imports.ImportOptions;
import dev.sfd.core.teachers.imports.TeacherImport;
import java.io.IOException;
import java.nio.file.Files;

/**
 * A pipeline's UNet as a teacher of the SFD contract, built in memory with {@link TeacherImport}: inputs
 * {@code x} (VE latent), {@code t} (σ) and {@code cond} (the text embedding [B, L, D], passed to
 * {@code encoder_hidden_states} unchanged), output {@code eps}; the VP wrapper uses the scheduler's ᾱ
 * table and prediction type. The teacher's trajectories and the student's initial weights are this one
 * graph, so the fresh student equals the teacher exactly.
 */
public final class TextToImageContract {

    /** The data set name a text-to-image teacher records. */
    public static final String DATASET = "text2image";

    private TextToImageContract() {
    }

    /** The contract teacher of {@code folder}'s UNet with latent {@code latent} [C, H, W]. */
    public static TeacherImport.Result of(TextToImageFolder folder, long[] latent) {
        PipelinePart unet = folder.unet();
        byte[] bytes;
        try {
            // external data (large exports keep their weights beside model.onnx) is read into the graph, which the
            // student copies and differentiates in memory; up to 2 GB (one ONNX message)
            bytes = ExternalData.inline(ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(unet.model())),
                    unet.model().toAbsolutePath().getParent()).toByteArray();
        } catch (IOException e) {
            throw new ImportException(null, "cannot read UNet " + unet.model() + ": " + e.getMessage());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ImportException(null, "UNet " + unet.model() + ": " + e.getMessage());
        }
        ImportOptions o = new ImportOptions();
        o.sampleInput = "sample";
        o.timeInput = "timestep";
        o.condInput = "encoder_hidden_states";
        o.output = unet.outputs().get(0);
        o.noise = ImportOptions.Noise.VP;
        o.prediction = folder.scheduler().predictionType().equals("v_prediction") ? ImportOptions.Prediction.V
                : ImportOptions.Prediction.EPS;
        o.sampleShape = latent.clone();
        o.dataset = DATASET;
        AlphaBarTable table = folder.scheduler().alphaBar();
        o.alphasCumprod = new double[table.size()];
        for (int k = 0; k < table.size(); k++) {
            o.alphasCumprod[k] = table.alphaBar(k);
        }
        return TeacherImport.run(unet.model().toString(), OnnxModel.parse(unet.model().toString(), bytes), bytes, o);
    }
}
