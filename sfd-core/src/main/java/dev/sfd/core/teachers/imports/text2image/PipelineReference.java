package dev.sfd.core.teachers.imports.text2image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A text-to-image teacher as a command line or a service setting names it: a diffusers ONNX pipeline
 * folder, or the {@code <folder>.teacher.json} manifest {@code sfd teacher import} wrote for it (it pins the
 * folder by its combined sha256 and records the latent shape when the graphs leave it symbolic). One
 * resolver for the CLI, teacher-service, student-trainer and sampler-service.
 *
 * @param folder the pipeline folder
 * @param sha256 its combined sha256 (every part and the tokenizer): the teacher's identity
 * @param latent one latent [C, H, W]
 */
public record PipelineReference(Path folder, String sha256, long[] latent) {

    /** Version of the manifest layout; a reader refuses a format it does not know. */
    public static final String FORMAT = "sfd.text-to-image-teacher/1";

    public PipelineReference {
        latent = latent.clone();
    }

    @Override
    public long[] latent() {
        return latent.clone();
    }

    /** True for a file named {@code *.teacher.json}. */
    public static boolean isManifest(Path file) {
        return Files.isRegularFile(file) && file.getFileName().toString().endsWith(".teacher.json");
    }

    /** True if {@code spec} names a pipeline folder or a text-to-image manifest. */
    public static boolean applies(String spec) {
        if (spec == null || spec.isBlank()) {
            return false;
        }
        Path p = Path.of(spec);
        return TextToImageFolder.looksLike(p) || isManifest(p);
    }

    /** The pipeline {@code spec} names (a folder or a manifest); a folder's latent shape must be concrete. */
    public static PipelineReference resolve(String spec) {
        Path p = Path.of(spec);
        if (isManifest(p)) {
            return readManifest(p);
        }
        TextToImageFolder f = TextToImageFolder.read(p);
        long[] latent = f.latentShape();
        if (Arrays.stream(latent).anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException("the latent shape of " + p + " is " + Arrays.toString(latent)
                    + ": symbolic in both the UNet's sample and the VAE decoder's input; import the folder with "
                    + "'sfd teacher import --sample-shape C,H,W " + p + "' and name its manifest instead");
        }
        return new PipelineReference(p, f.sha256(), latent);
    }

    /**
     * Reads {@code file} (checked against its {@code .sha256} companion) and the folder it references, which
     * must still have the sha256 the manifest pinned.
     */
    public static PipelineReference readManifest(Path file) {
        JsonNode m;
        try {
            m = new ObjectMapper().readTree(Checksums.readVerified(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("text-to-image manifest " + file + " is not JSON: " + e.getMessage()
                    + "; re-create it with 'sfd teacher import <folder>'");
        }
        if (!FORMAT.equals(m.path("format").asText())) {
            throw new IllegalArgumentException("manifest " + file + " has format '" + m.path("format").asText()
                    + "', this version reads '" + FORMAT + "'; re-create it with 'sfd teacher import <folder>'");
        }
        Path folder = Path.of(m.path("folder").asText());
        String pinned = m.path("sha256").asText();
        String now = TextToImageFolder.read(folder).sha256();
        if (!now.equals(pinned)) {
            throw new IllegalArgumentException("pipeline folder " + folder + " has sha256 " + now + " but manifest " + file
                    + " pinned " + pinned + ": the folder changed since the import; run 'sfd teacher import " + folder
                    + "' again");
        }
        long[] latent = new long[m.path("latent_shape").size()];
        for (int i = 0; i < latent.length; i++) {
            latent[i] = m.path("latent_shape").get(i).asLong();
        }
        return new PipelineReference(folder, pinned, latent);
    }

    /** The teacher's id: the folder's name (what a student records as its teacher). */
    public String id() {
        return folder.toAbsolutePath().normalize().getFileName().toString();
    }

    /** Reads the folder again and opens the UNet, text encoder and VAE decoder under {@code config}. */
    public TextToImageTeacher open(SessionConfig config) {
        return TextToImageTeacher.open(TextToImageFolder.read(folder), latent, config);
    }
}
