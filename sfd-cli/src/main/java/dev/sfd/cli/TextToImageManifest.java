package dev.sfd.cli;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfd.core.teachers.Checksums;
import dev.sfd.core.teachers.imports.text2image.PipelinePart;
import dev.sfd.core.teachers.imports.text2image.PipelineReference;
import dev.sfd.core.teachers.imports.text2image.SchedulerConfig;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The record an imported text-to-image teacher leaves: a JSON manifest that references the pipeline
 * folder (the parts are not copied: an SD-size pipeline is gigabytes) and pins it by the folder's
 * combined sha256, with what the trainer and the services need without re-reading the folder.
 * Written with its {@code .sha256} companion, as {@code sfd teacher import} writes a single-file teacher.
 */
final class TextToImageManifest {

    /** Version of the layout below (read by {@link PipelineReference}). */
    static final String FORMAT = PipelineReference.FORMAT;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TextToImageManifest() {
    }

    /** The manifest of {@code t} with latent shape {@code latent} ([C, H, W], every entry known). */
    static ObjectNode of(TextToImageInspection t, long[] latent) {
        TextToImageFolder f = t.folder();
        Path root = f.folder().toAbsolutePath().normalize();
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("kind", "text-to-image");
        m.put("folder", root.toString());
        m.put("sha256", f.sha256());
        SchedulerConfig s = f.scheduler();
        m.put("prediction_type", s.predictionType());
        ObjectNode sched = m.putObject("scheduler");
        sched.put("beta_schedule", s.betaSchedule());
        sched.put("beta_start", s.betaStart());
        sched.put("beta_end", s.betaEnd());
        sched.put("num_train_timesteps", s.trainSteps());
        sched.put("timestep_type", f.unet().elemType("timestep") == DataType.INT64_VALUE ? "int64" : "float");
        ObjectNode tok = m.putObject("tokenizer");
        tok.put("kind", t.tokenizerKind());
        tok.put("max_length", t.maxLength());
        longs(m.putArray("latent_shape"), latent);
        longs(m.putArray("text_embedding"), t.textEmbedding());
        ObjectNode parts = m.putObject("parts");
        for (PipelinePart p : f.parts().values()) {
            ObjectNode n = parts.putObject(p.name());
            n.put("model", root.relativize(p.model().toAbsolutePath().normalize()).toString());
            n.put("role", p.trained() ? "distilled" : "frozen");
            n.put("sha256", p.sha256());
            ArrayNode data = n.putArray("external_data");
            p.externalData().forEach(d -> data.add(d.getFileName().toString()));
        }
        return m;
    }

    /** Writes {@code manifest} to {@code file} and {@code file}.sha256; returns the manifest's own sha256. */
    static String write(ObjectNode manifest, Path file) {
        try {
            return Checksums.writeWithChecksum(file,
                    (JSON.writeValueAsString(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the manifest " + file, e);
        }
    }

    private static void longs(ArrayNode a, long[] values) {
        for (long v : values) {
            a.add(v);
        }
    }
}
