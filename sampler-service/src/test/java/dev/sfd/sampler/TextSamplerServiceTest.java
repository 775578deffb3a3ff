package dev.sfd.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.GenerateStreamResponse;
import dev.sfd.api.v1.ModelInfoRequest;
import dev.sfd.api.v1.ModelInfoResponse;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.api.v1.Tensor;
import dev.sfd.stack.SharedLocalStack;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service serving a text-to-image starter student of the shapes-sd fixture, on the real local stack,
 * called by a real grpc-java client: free-text prompts to PNG, LATENT output, prompts batched together,
 * the prompt checks, guidance, ModelInfo's text fields, and a student of another pipeline refused while
 * v1 keeps serving.
 */
@QuarkusTest
@TestProfile(TextSamplerServiceTest.Text.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TextSamplerServiceTest {

    static final String STUDENT = "sampler-text";

    /**
     * The fixture pipeline configured; every model call waits for others (500 ms, no fast path) so requests
     * sent together share one call.
     */
    public static class Text implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sfd.sampler.pipeline", TestCheckpoints.pipeline(), "sfd.sampler.prompt-cache-size", "16",
                    "sfd.sampler.max-batch", "8", "sfd.sampler.max-queue-delay", "500ms",
                    "sfd.sampler.delay-always", "true", "sfd.sampler.idle-fast-path", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SamplerTestStack.class, Map.of("student", STUDENT,
                    "dataset", "text2image")));
        }
    }

    private GrpcClients clients;
    private TestCheckpoints checkpoints;
    private ModelInfoResponse info;

    @BeforeAll
    void connect() throws Exception {
        clients = new GrpcClients();
        checkpoints = new TestCheckpoints(SharedLocalStack.get());
        info = clients.awaitInfo(i -> i.getModel().getVersion() >= 1, "v1 of the text student");
    }

    @AfterAll
    void disconnect() throws Exception {
        clients.close();
        checkpoints.close();
    }

    private static GenerateRequest.Builder prompt(String text, long seed, int count) {
        return GenerateRequest.newBuilder().setPrompt(text).setSeed(seed).setCount(count);
    }

    private static float[] floats(Tensor t) {
        float[] v = new float[t.getRaw().size() / Float.BYTES];
        t.getRaw().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    @Test
    @Order(1)
    void modelInfoSaysTheStudentTakesTextAndNamesThePipeline() {
        assertTrue(info.getTextPrompts());
        assertEquals("shapes-sd", info.getPipeline());
        assertEquals(info.getTeacherSha256(), info.getPipelineSha256(), "the student's teacher is the pipeline");
        assertEquals(64, info.getPipelineSha256().length());
        assertEquals(12, info.getMaxPromptTokens(), "the fixture tokenizer's model_max_length");
        assertEquals(3, info.getImageShapeCount());
        assertEquals(3, info.getImageShape(0), "RGB");
        assertEquals("text2image", info.getDataset());
        assertEquals(0, info.getClasses());
    }

    @Test
    @Order(2)
    void aPromptGivesPngImagesOfTheDecodedSizeAndTheSameSeedTheSameBytes() throws Exception {
        GenerateRequest r = prompt("a small red circle on black", 42, 2).build();
        GenerateResponse a = clients.timed().generate(r);
        assertEquals(2, a.getSamplesCount());
        assertEquals(-1, a.getLabel(), "a prompt is no class label");
        assertFalse(a.getPromptTruncated());
        for (int i = 0; i < 2; i++) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(a.getSamples(i).getPng().toByteArray()));
            assertNotNull(img, "sample " + i + " is a PNG");
            assertEquals(info.getImageShape(1), img.getHeight());
            assertEquals(info.getImageShape(2), img.getWidth());
            assertEquals(42 + i, a.getSamples(i).getSeed());
        }
        GenerateResponse b = clients.timed().generate(r);
        assertEquals(a.getSamples(0).getPng(), b.getSamples(0).getPng(), "same seed and prompt, same PNG bytes");
        assertEquals(a.getSamples(1).getPng(), b.getSamples(1).getPng());
        GenerateResponse other = clients.timed().generate(prompt("a yellow triangle", 42, 1).build());
        assertFalse(a.getSamples(0).getPng().equals(other.getSamples(0).getPng()), "the prompt conditions the image");
        Iterator<GenerateStreamResponse> stream = clients.timed().generateStream(r);
        List<GenerateStreamResponse> parts = new ArrayList<>();
        stream.forEachRemaining(parts::add);
        assertEquals(2, parts.size());
        for (GenerateStreamResponse p : parts) {
            assertEquals(a.getSamples(p.getSample().getIndex()).getPng(), p.getSample().getPng(), "stream = unary");
        }
    }

    @Test
    @Order(3)
    void latentOutputReturnsTheStudentsLatentsUndecoded() {
        GenerateResponse r = clients.timed().generate(prompt("a small red circle", 7, 3)
                .setOutput(OutputFormat.OUTPUT_FORMAT_LATENT).build());
        assertEquals(3, r.getSamplesCount());
        for (int i = 0; i < 3; i++) {
            Tensor t = r.getSamples(i).getTensor();
            assertEquals(info.getSampleShapeList(), t.getShapeList(), "a latent [C, h, w]");
            assertEquals(0, t.getValuesCount(), "raw bytes, not repeated values");
            long n = info.getSampleShapeList().stream().mapToLong(Long::longValue).reduce(1, (x, y) -> x * y);
            assertEquals(n * Float.BYTES, t.getRaw().size());
        }
        GenerateResponse pixels = clients.timed().generate(prompt("a small red circle", 7, 1)
                .setOutput(OutputFormat.OUTPUT_FORMAT_RAW).build());
        assertEquals(info.getImageShapeList(), pixels.getSamples(0).getTensor().getShapeList(), "RAW: decoded pixels");
    }

    @Test
    @Order(4)
    void differentPromptsSentTogetherShareOneCallAndGiveWhatEachGetsAlone() throws Exception {
        List<GenerateRequest> requests = List.of(
                prompt("a small red circle", 10, 2).setOutput(OutputFormat.OUTPUT_FORMAT_RAW).build(),
                prompt("the ring is blue", 20, 1).setOutput(OutputFormat.OUTPUT_FORMAT_RAW).build(),
                prompt("a green square", 30, 1).setOutput(OutputFormat.OUTPUT_FORMAT_LATENT).build());
        List<GenerateResponse> alone = new ArrayList<>();
        for (GenerateRequest r : requests) {
            alone.add(clients.timed().generate(r));
        }
        List<CompletableFuture<GenerateResponse>> calls = new ArrayList<>();
        for (GenerateRequest r : requests) {
            CompletableFuture<GenerateResponse> f = clients.generateAsync(r, 60);
            calls.add(f);
        }
        for (int i = 0; i < requests.size(); i++) {
            GenerateResponse together = calls.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(requests.get(i).getCount(), alone.get(i).getTimings().getBatchSize(), "alone: its own call");
            assertEquals(4, together.getTimings().getBatchSize(), "request " + i + ": the three prompts in one call");
            for (int s = 0; s < together.getSamplesCount(); s++) {
                float[] a = floats(alone.get(i).getSamples(s).getTensor());
                float[] t = floats(together.getSamples(s).getTensor());
                assertEquals(a.length, t.length);
                for (int k = 0; k < a.length; k++) {
                    assertEquals(a[k], t[k], 1e-4f, "request " + i + " sample " + s + " value " + k);
                }
            }
        }
    }

    @Test
    @Order(5)
    void promptChecksNameTheFieldAndTheWord() {
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "prompt: ",
                prompt("a small red circle on the left", 1, 1).build());
        String m = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                () -> clients.timed().generate(prompt("a small red circle on the left", 1, 1).build()))
                .getStatus().getDescription();
        assertTrue(m.contains("left") && !m.contains("circle,") && m.contains("rephrase"), "names the unknown word: " + m);
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "label: ",
                GenerateRequest.newBuilder().setLabel(1).setSeed(1).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "prompt: ", prompt(" ", 1, 1).build());
        clients.assertStatus(Status.Code.INVALID_ARGUMENT, "prompt: ", prompt("a".repeat(201), 1, 1).build());
    }

    @Test
    @Order(6)
    void aPromptOverTheTokenLimitIsCutServedAndFlagged() {
        GenerateResponse r = clients.timed().generate(prompt(
                "a small red circle on black is one picture of the ring the square", 3, 1).build());
        assertTrue(r.getPromptTruncated());
        assertTrue(r.getWarning().contains("prompt") && r.getWarning().contains("12 tokens"), r.getWarning());
        assertEquals(1, r.getSamplesCount());
        Iterator<GenerateStreamResponse> s = clients.timed().generateStream(prompt(
                "a small red circle on black is one picture of the ring the square", 3, 1).build());
        assertTrue(s.next().getPromptTruncated(), "the stream flags it too");
    }

    @Test
    @Order(7)
    void guidanceTwoChangesTheSample() {
        GenerateRequest.Builder r = prompt("a blue ring", 5, 1).setOutput(OutputFormat.OUTPUT_FORMAT_LATENT);
        GenerateResponse w1 = clients.timed().generate(r.setGuidance(1.0).build());
        GenerateResponse w2 = clients.timed().generate(r.setGuidance(2.0).build());
        assertEquals(2.0, w2.getGuidance());
        assertFalse(w1.getSamples(0).getTensor().getRaw().equals(w2.getSamples(0).getTensor().getRaw()),
                "ω = 2 (∅ = the empty prompt) differs from ω = 1");
    }

    @Test
    @Order(8)
    void thePlaygroundTakesFreeTextAndShowsTheDecodedImages() {
        io.restassured.path.json.JsonPath page = io.restassured.RestAssured.given().when().get("/api/v1/playground")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(page.getBoolean("model.textPrompts"));
        assertEquals("shapes-sd", page.getString("model.pipeline"));
        assertTrue(page.getString("vocabulary.hint").contains("free text"), page.getString("vocabulary.hint"));
        assertFalse(page.getList("vocabulary.examples").isEmpty(), "examples from the fixture's captions.json");
        GenerateResponse grpc = clients.timed().generate(prompt("a small red circle", 3, 1).build());
        io.restassured.path.json.JsonPath http = io.restassured.RestAssured.given()
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"prompt\": \"a small red circle\", \"seed\": 3, \"count\": 1}")
                .when().post("/api/v1/generate").then().statusCode(200).extract().jsonPath();
        assertEquals(java.util.Base64.getEncoder().encodeToString(grpc.getSamples(0).getPng().toByteArray()),
                http.getString("samples[0].png"), "the page gets the PNG gRPC gives");
        io.restassured.path.json.JsonPath bad = io.restassured.RestAssured.given()
                .contentType(io.restassured.http.ContentType.JSON).body("{\"prompt\": \"a red zebra\"}")
                .when().post("/api/v1/generate").then().statusCode(400).extract().jsonPath();
        assertEquals("prompt", bad.getString("field"));
        assertTrue(bad.getString("message").contains("zebra"), bad.getString("message"));
    }

    @Test
    @Order(9)
    void aStudentOfAnotherPipelineIsRefusedAndV1KeepsServing() throws Exception {
        long served = clients.timed().modelInfo(ModelInfoRequest.getDefaultInstance()).getModel().getVersion();
        long next = served + 1;
        checkpoints.publish(STUDENT, next, TestCheckpoints.textStudentOfOtherPipeline());
        ModelInfoResponse after = clients.awaitInfo(i -> i.getRefusalsList().stream()
                .anyMatch(f -> f.getVersion() == next), "v" + next + " refused");
        String reason = after.getRefusalsList().stream().filter(f -> f.getVersion() == next).findFirst().orElseThrow()
                .getReason();
        assertTrue(reason.contains(TestCheckpoints.OTHER_PIPELINE_SHA256) && reason.contains(info.getPipelineSha256())
                && reason.contains("sfd.sampler.pipeline"), reason);
        assertEquals(served, after.getModel().getVersion(), "the old version keeps serving");
        assertEquals(1, clients.timed().generate(prompt("a red square", 1, 1).build()).getSamplesCount());
    }
}
