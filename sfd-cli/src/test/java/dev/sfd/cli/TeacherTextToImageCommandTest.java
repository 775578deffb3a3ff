package dev.sfd.cli;

import static dev.sfd.core.teachers.imports.text2image.PipelineFixtures.appendNode;
import static dev.sfd.core.teachers.imports.text2image.PipelineFixtures.copyTree;
import static dev.sfd.core.teachers.imports.text2image.PipelineFixtures.fixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.teachers.Checksums;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sfd teacher import <folder>} and {@code sfd teacher info <folder>} run through picocli on the
 * committed text-to-image fixtures (fixtures/text2image) and on a copy whose UNet holds an op without
 * a gradient rule.
 */
class TeacherTextToImageCommandTest {

    @TempDir
    Path tmp;

    @Test
    void importOfTheTrainedShapesPipelineWritesTheManifest() throws Exception {
        Path folder = fixture("shapes-sd");
        Path manifest = tmp.resolve("shapes-sd.teacher.json");
        String out = ByotFixtures.ok("teacher", "import", folder.toString(), "--out", manifest.toString());
        assertTrue(out.contains("scheduler: VP/DDPM scaled_linear"), out);
        assertTrue(out.contains("unet: text-conditioned teacher"), out);
        assertTrue(out.contains("unet: distilled, every op between its weights and its output has a gradient rule; "
                + "ONNX Runtime session OK"), out);
        assertTrue(out.contains("text_encoder: frozen, runs in ONNX Runtime (no gradient needed); ONNX Runtime session OK"), out);
        assertTrue(out.contains("vae_decoder: frozen, runs in ONNX Runtime"), out);
        assertTrue(out.contains("unsupported ops: none"), out);

        JsonNode m = new ObjectMapper().readTree(manifest.toFile());
        assertEquals(TextToImageManifest.FORMAT, m.get("format").asText());
        assertEquals(TextToImageFolder.read(folder).sha256(), m.get("sha256").asText());
        assertEquals(folder.toAbsolutePath().normalize().toString(), m.get("folder").asText());
        assertEquals("epsilon", m.get("prediction_type").asText());
        assertEquals("scaled_linear", m.get("scheduler").get("beta_schedule").asText());
        assertEquals(1000, m.get("scheduler").get("num_train_timesteps").asInt());
        assertEquals("int64", m.get("scheduler").get("timestep_type").asText());
        assertEquals(12, m.get("tokenizer").get("max_length").asInt());
        assertEquals("tokenizer.json", m.get("tokenizer").get("kind").asText());
        assertEquals(List.of(4L, 8L, 8L), longs(m.get("latent_shape")));
        assertEquals("distilled", m.get("parts").get("unet").get("role").asText());
        assertEquals("frozen", m.get("parts").get("text_encoder").get("role").asText());
        assertEquals("unet/model.onnx", m.get("parts").get("unet").get("model").asText());
        assertEquals(Checksums.sha256(Files.readAllBytes(manifest)), Files.readString(Checksums.companion(manifest)).trim());
    }

    @Test
    void importOfTheClipBpeFolderRecordsVPredictionAndExternalData() throws Exception {
        Path manifest = tmp.resolve("clip.teacher.json");
        String out = ByotFixtures.ok("teacher", "import", fixture("tiny-clip-bpe").toString(), "--out", manifest.toString());
        assertTrue(out.contains("CLIP BPE vocab.json + merges.txt, max length 12"), out);
        JsonNode m = new ObjectMapper().readTree(manifest.toFile());
        assertEquals("v_prediction", m.get("prediction_type").asText());
        assertEquals("linear", m.get("scheduler").get("beta_schedule").asText());
        assertEquals("CLIP BPE vocab.json + merges.txt", m.get("tokenizer").get("kind").asText());
        assertEquals("model.onnx_data", m.get("parts").get("unet").get("external_data").get(0).asText());
        assertEquals(0, m.get("parts").get("text_encoder").get("external_data").size());
        assertEquals(List.of(12L, 16L), longs(m.get("text_embedding")));
    }

    @Test
    void infoPrintsEveryPartAndExitsZeroOnBothFixtures() {
        for (String name : List.of("shapes-sd", "tiny-clip-bpe")) {
            Path folder = fixture(name);
            TextToImageFolder f = TextToImageFolder.read(folder);
            String out = ByotFixtures.ok("teacher", "info", folder.toString());
            assertTrue(out.contains("sha256: " + f.sha256()), out);
            assertTrue(out.contains("prediction type: " + f.scheduler().predictionType()), out);
            assertTrue(out.contains("prompts padded or truncated to 12 tokens"), out);
            assertTrue(out.contains("latent: [4, 8, 8]"), out);
            assertTrue(out.contains("input  timestep int64 ["), out);
            assertTrue(out.contains("input  encoder_hidden_states float ["), out);
            for (var p : f.parts().values()) {
                assertTrue(out.contains("sha256 " + p.sha256()), name + " " + p.name() + "\n" + out);
            }
            assertTrue(out.contains("unsupported ops: none"), out);
            assertTrue(out.contains("distillable: yes"), out);
            assertEquals(name.equals("tiny-clip-bpe"), out.contains("external data: model.onnx_data ("), out);
        }
    }

    @Test
    void aUnetOpWithoutAGradientRuleIsRefusedByImportAndListedByInfo() throws Exception {
        Path copy = tmp.resolve("bad-sd");
        copyTree(fixture("shapes-sd"), copy);
        appendNode(copy.resolve("unet").resolve("model.onnx"), "", "Softplus", "test_softplus");
        Path manifest = tmp.resolve("bad.teacher.json");

        Object[] r = ByotFixtures.run("teacher", "import", copy.toString(), "--out", manifest.toString());
        String out = (String) r[1];
        assertNotEquals(0, (int) r[0], out);
        assertTrue(out.contains("unet: text-conditioned teacher"), "decisions printed first:\n" + out);
        assertTrue(out.contains("cannot import " + copy), out);
        assertTrue(out.contains("unet (" + copy.resolve("unet").resolve("model.onnx") + "): op Softplus at node(s) "
                + "[test_softplus]: no gradient rule"), out);
        assertTrue(out.contains("dev.sfd.core.autodiff.GradientRules"), "the fix is named:\n" + out);
        assertFalse(Files.exists(manifest), "a refused import writes nothing");

        r = ByotFixtures.run("teacher", "info", copy.toString());
        out = (String) r[1];
        assertEquals(2, (int) r[0], out);
        assertTrue(out.contains("unsupported ops: 1"), out);
        assertTrue(out.contains("  unet  Softplus  nodes [test_softplus]  no gradient rule"), out);
        assertTrue(out.contains("unet: distilled, 1 gradient gap(s); ONNX Runtime session OK"), out);
        assertTrue(out.contains("text_encoder: frozen, runs in ONNX Runtime"), out);
        assertTrue(out.contains("distillable: no, 1 problem(s)"), out);
    }

    @Test
    void aFrozenPartOnnxRuntimeCannotOpenIsRefusedWithoutGradientGaps() throws Exception {
        Path copy = tmp.resolve("bad-vae");
        copyTree(fixture("shapes-sd"), copy);
        appendNode(copy.resolve("vae_decoder").resolve("model.onnx"), "org.example", "Mystery", "test_mystery");
        Object[] r = ByotFixtures.run("teacher", "import", copy.toString(), "--out", tmp.resolve("x.json").toString());
        String out = (String) r[1];
        assertNotEquals(0, (int) r[0], out);
        assertTrue(out.contains("vae_decoder (" + copy.resolve("vae_decoder").resolve("model.onnx")
                + "): ONNX Runtime cannot open it: "), out);
        assertTrue(out.contains("Re-export the part"), out);
        assertFalse(Files.exists(tmp.resolve("x.json")));

        r = ByotFixtures.run("teacher", "info", copy.toString());
        out = (String) r[1];
        assertEquals(2, (int) r[0], out);
        assertTrue(out.contains("vae_decoder: frozen, runs in ONNX Runtime (no gradient needed); ONNX Runtime session FAILED"), out);
        assertTrue(out.contains("unsupported ops: none"), "a frozen part needs no gradient rule:\n" + out);
    }

    @Test
    void aTokenizerLengthTheTextEncoderDoesNotTakeIsRefused() throws Exception {
        Path copy = tmp.resolve("bad-tokenizer");
        copyTree(fixture("tiny-clip-bpe"), copy);
        Path config = copy.resolve("tokenizer").resolve("tokenizer_config.json");
        Files.writeString(config, Files.readString(config).replace("\"model_max_length\": 12", "\"model_max_length\": 10"));
        Object[] r = ByotFixtures.run("teacher", "import", copy.toString(), "--out", tmp.resolve("x.json").toString());
        String out = (String) r[1];
        assertNotEquals(0, (int) r[0], out);
        assertTrue(out.contains("input_ids takes 12 tokens but the tokenizer pads prompts to model_max_length 10; set "
                + "model_max_length to 12 in tokenizer/tokenizer_config.json"), out);
    }

    @Test
    void theUnetFileAloneIsPointedToItsPipelineFolder() {
        Path folder = fixture("shapes-sd");
        Object[] r = ByotFixtures.run("teacher", "import", folder.resolve("unet").resolve("model.onnx").toString(),
                "--out", tmp.resolve("u.onnx").toString());
        String out = (String) r[1];
        assertNotEquals(0, (int) r[0], "a text-conditioned UNet alone is still refused:\n" + out);
        assertTrue(out.contains("'sfd teacher import " + folder + "' imports the whole pipeline"), out);
    }

    @Test
    void singleFileFlagsAreRefusedForAFolder() {
        Object[] r = ByotFixtures.run("teacher", "import", fixture("shapes-sd").toString(), "--prediction", "v",
                "--out", tmp.resolve("x.json").toString());
        assertNotEquals(0, (int) r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("[--prediction] apply to a single .onnx file"), (String) r[1]);
        assertFalse(Files.exists(tmp.resolve("x.json")));
    }

    @Test
    void aSampleShapeThatContradictsTheUnetIsRefused() {
        Object[] r = ByotFixtures.run("teacher", "import", fixture("shapes-sd").toString(), "--sample-shape", "4,16,16",
                "--out", tmp.resolve("x.json").toString());
        assertNotEquals(0, (int) r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("contradicts the UNet's static sample dims [4, 8, 8]"), (String) r[1]);
    }

    @Test
    void aDirectoryThatIsNoPipelineIsRefusedNamingTheLayout() {
        Object[] r = ByotFixtures.run("teacher", "import", tmp.toString());
        assertNotEquals(0, (int) r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("not a diffusers ONNX pipeline folder (no model_index.json and no unet/model.onnx)"),
                (String) r[1]);
    }

    private static List<Long> longs(JsonNode a) {
        List<Long> out = new java.util.ArrayList<>();
        a.forEach(n -> out.add(n.asLong()));
        return out;
    }
}
