package dev.sfd.core.teachers.imports.text2image;

import static dev.sfd.core.teachers.imports.text2image.PipelineFixtures.appendNode;
import static dev.sfd.core.teachers.imports.text2image.PipelineFixtures.copyTree;
import static dev.sfd.core.teachers.imports.text2image.PipelineFixtures.fixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.ImportException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextToImageFolderTest {

    @TempDir
    Path tmp;


    @Test
    void clipBpeFolderImportsAsTextConditionedTeacherWithExternalData() throws Exception {
        TextToImageFolder f = TextToImageFolder.read(fixture("tiny-clip-bpe"));
        assertEquals("v_prediction", f.scheduler().predictionType());
        assertEquals("linear", f.scheduler().betaSchedule());
        assertEquals(1000, f.scheduler().alphaBar().size());
        assertEquals(1 - 0.0001, f.scheduler().alphaBar().alphaBar(0), 1e-9);
        assertEquals(List.of("model.onnx_data"),
                f.unet().externalData().stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of("text_encoder", "unet", "vae_decoder", "vae_encoder"), List.copyOf(f.parts().keySet()));
        assertTrue(f.decisions().stream().anyMatch(d -> d.startsWith("unet: text-conditioned teacher")), f.decisions().toString());

        // ORT resolves the external data relative to the model path: the UNet runs from the folder.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(f.unet().model().toString(), new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[2 * 4 * 8 * 8]), new long[] {2, 4, 8, 8});
                OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {10, 900}), new long[] {2});
                OnnxTensor c = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[2 * 12 * 16]), new long[] {2, 12, 16});
                OrtSession.Result r = s.run(Map.of("sample", x, "timestep", t, "encoder_hidden_states", c))) {
            assertArrayEquals(new long[] {2, 4, 8, 8}, ((OnnxTensor) r.get(0)).getInfo().getShape());
        }
    }

    @Test
    void sha256CoversTheExternalDataFile() throws Exception {
        Path copy = tmp.resolve("pipe");
        copyTree(fixture("tiny-clip-bpe"), copy);
        String before = TextToImageFolder.read(copy).sha256();
        String unetBefore = TextToImageFolder.read(copy).unet().sha256();
        Path data = copy.resolve("unet").resolve("model.onnx_data");
        byte[] b = Files.readAllBytes(data);
        b[b.length / 2] ^= 1;
        Files.write(data, b);
        TextToImageFolder after = TextToImageFolder.read(copy);
        assertNotEquals(unetBefore, after.unet().sha256());
        assertNotEquals(before, after.sha256());
        Files.delete(data);
        ImportException e = assertThrows(ImportException.class, () -> TextToImageFolder.read(copy));
        assertTrue(e.getMessage().contains("model.onnx_data") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void clipVocabAndMergesTokenizeThroughTheLibrary() throws Exception {
        Path dir = fixture("tiny-clip-bpe").resolve("tokenizer");
        var vocab = new ObjectMapper().readTree(dir.resolve("vocab.json").toFile());
        try (PipelineTokenizer t = PipelineTokenizer.load(dir, tmp)) {
            assertEquals(12, t.maxLength());
            PipelineTokenizer.Tokens a = t.encode("A  Red circle");
            assertEquals(12, a.ids().length);
            assertEquals(vocab.get("<|startoftext|>").asLong(), a.ids()[0]);
            assertEquals(vocab.get("a</w>").asLong(), a.ids()[1]);
            assertEquals(vocab.get("red</w>").asLong(), a.ids()[2]);
            assertEquals(vocab.get("circle</w>").asLong(), a.ids()[3]);
            assertEquals(vocab.get("<|endoftext|>").asLong(), a.ids()[4]);
            assertEquals(vocab.get("<|endoftext|>").asLong(), a.ids()[11]);
            assertFalse(a.truncated());
            PipelineTokenizer.Tokens lng = t.encode("a red circle a red circle a red circle a red circle a red circle");
            assertEquals(12, lng.ids().length);
            assertTrue(lng.truncated());
            assertEquals(vocab.get("<|endoftext|>").asLong(), lng.ids()[11]);
        }
        assertTrue("true".equals(System.getProperty("ai.djl.offline")));
    }

    @Test
    void unetWithoutTextConditioningIsRefusedWithTheInputNames() throws Exception {
        Path copy = tmp.resolve("pipe");
        copyTree(fixture("tiny-clip-bpe"), copy);
        Files.delete(copy.resolve("unet").resolve("model.onnx_data"));
        Files.copy(copy.resolve("vae_decoder").resolve("model.onnx"), copy.resolve("unet").resolve("model.onnx"),
                StandardCopyOption.REPLACE_EXISTING);
        ImportException e = assertThrows(ImportException.class, () -> TextToImageFolder.read(copy));
        assertTrue(e.getMessage().contains("latent_sample") && e.getMessage().contains("encoder_hidden_states"),
                e.getMessage());
    }

    @Test
    void coverageChecksGradientsForTheUnetAndSessionsForTheFrozenParts() {
        for (String name : List.of("shapes-sd", "tiny-clip-bpe")) {
            TextToImageFolder f = TextToImageFolder.read(fixture(name));
            List<TextToImageFolder.PartCoverage> cov = f.coverage(SessionConfig.cpu(1));
            assertEquals(List.copyOf(f.parts().keySet()), cov.stream().map(TextToImageFolder.PartCoverage::part).toList());
            for (TextToImageFolder.PartCoverage c : cov) {
                assertEquals(c.part().equals(TextToImageFolder.UNET), c.trained(), name + " " + c);
                assertTrue(c.ok(), name + " " + c.summary() + " " + c.gaps());
                assertTrue(c.summary().contains(c.trained() ? "gradient rule" : "frozen, runs in ONNX Runtime"), c.summary());
            }
        }
    }

    @Test
    void aUnetOpWithoutAGradientRuleIsAGapNamingItsNode() throws Exception {
        Path copy = tmp.resolve("pipe");
        copyTree(fixture("shapes-sd"), copy);
        appendNode(copy.resolve("unet").resolve("model.onnx"), "", "Softplus", "test_softplus");
        TextToImageFolder.PartCoverage unet = TextToImageFolder.read(copy).coverage(SessionConfig.cpu(1)).stream()
                .filter(TextToImageFolder.PartCoverage::trained).findFirst().orElseThrow();
        assertFalse(unet.ok());
        assertEquals(1, unet.gaps().size(), unet.gaps().toString());
        assertEquals("Softplus", unet.gaps().get(0).opType());
        assertEquals(List.of("test_softplus"), unet.gaps().get(0).nodes());
        assertEquals("no gradient rule", unet.gaps().get(0).reason());
        assertNull(unet.sessionError(), "ORT runs Softplus: only the gradient is missing");
    }

    @Test
    void aFrozenPartOnnxRuntimeCannotOpenIsReportedWithoutGradientGaps() throws Exception {
        Path copy = tmp.resolve("pipe");
        copyTree(fixture("shapes-sd"), copy);
        appendNode(copy.resolve("vae_decoder").resolve("model.onnx"), "org.example", "Mystery", "test_mystery");
        var cov = TextToImageFolder.read(copy).coverage(SessionConfig.cpu(1));
        TextToImageFolder.PartCoverage vae = cov.stream().filter(c -> c.part().equals(TextToImageFolder.VAE_DECODER))
                .findFirst().orElseThrow();
        assertFalse(vae.trained());
        assertEquals(List.of(), vae.gaps(), "a frozen part needs no gradient");
        assertNotNull(vae.sessionError());
        assertTrue(vae.sessionError().contains("org.example") || vae.sessionError().contains("Mystery"), vae.sessionError());
        assertTrue(vae.summary().contains("FAILED"), vae.summary());
        assertTrue(cov.stream().filter(c -> !c.part().equals(TextToImageFolder.VAE_DECODER)).allMatch(TextToImageFolder.PartCoverage::ok));
    }

    @Test
    void latentShapeComesFromTheUnetSample() {
        assertArrayEquals(new long[] {4, 8, 8}, TextToImageFolder.read(fixture("tiny-clip-bpe")).latentShape());
    }
}
