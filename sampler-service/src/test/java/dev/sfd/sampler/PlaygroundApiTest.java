package dev.sfd.sampler;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.OutputFormat;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The playground's HTTP API on the real local stack: the same samples and the same error messages
 * as the gRPC API (it runs the gRPC service's code), the teacher comparison, the live model feed,
 * and a page that needs nothing from outside the service.
 */
@QuarkusTest
@TestProfile(PlaygroundProfiles.Mixture.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaygroundApiTest {

    @TestHTTPResource("/")
    URL root;

    private GrpcClients clients;

    @BeforeAll
    void connect() throws Exception {
        clients = new GrpcClients();
        clients.awaitInfo(i -> i.getModel().getVersion() >= 1, "a model");
    }

    @AfterAll
    void disconnect() throws Exception {
        clients.close();
    }

    private static JsonPath post(String path, Object body, int status) {
        return given().contentType(ContentType.JSON).body(body instanceof String s ? s : PlaygroundJson.write(body))
                .when().post("/api/v1" + path).then().statusCode(status).extract().jsonPath();
    }

    @Test
    void httpGenerateReturnsWhatGrpcGenerateReturns() {
        GenerateResponse g = clients.timed().generate(GenerateRequest.newBuilder().setPrompt("north").setNfe(2)
                .setSeed(7).setCount(4).setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR).build());
        JsonPath h = post("/generate", Map.of("prompt", "north", "nfe", 2, "seed", 7, "count", 4), 200);
        assertEquals(g.getModel().getVersion(), h.getLong("model.version"));
        assertEquals(g.getSteps(), h.getInt("steps"));
        assertEquals(g.getNfe(), h.getInt("nfe"));
        assertEquals(g.getLabel(), h.getInt("label"));
        assertEquals(4, h.getList("samples").size());
        for (int i = 0; i < 4; i++) {
            assertEquals(Long.toString(g.getSamples(i).getSeed()), h.getString("samples[" + i + "].seed"));
            List<Float> values = h.getList("samples[" + i + "].tensor.values", Float.class);
            List<Float> expected = g.getSamples(i).getTensor().getValuesList();
            assertEquals(expected.size(), values.size());
            for (int k = 0; k < values.size(); k++) {
                assertEquals(expected.get(k), values.get(k), 1e-5, "sample " + i + " value " + k);
            }
        }
    }

    @Test
    void badFieldsGetTheGrpcMessageWithTheFieldNamed() {
        List<GenerateRequest> bad = List.of(
                GenerateRequest.newBuilder().setPrompt("a tiny elephant").setCount(2).build(),
                GenerateRequest.newBuilder().setNfe(0).setCount(2).build(),
                GenerateRequest.newBuilder().setCount(100).build(),
                GenerateRequest.newBuilder().setGuidance(99).setCount(1).build());
        List<Map<String, Object>> json = List.of(Map.of("prompt", "a tiny elephant", "count", 2),
                Map.of("nfe", 0, "count", 2), Map.of("count", 100), Map.of("guidance", 99, "count", 1));
        for (int i = 0; i < bad.size(); i++) {
            int k = i;
            StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> clients.timed().generate(bad.get(k)), "gRPC refuses " + bad.get(k));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            String grpcMessage = e.getStatus().getDescription();
            JsonPath h = post("/generate", json.get(i), 400);
            assertEquals("INVALID_ARGUMENT", h.getString("code"));
            assertEquals(grpcMessage, h.getString("message"), "request " + json.get(i));
            assertTrue(grpcMessage.startsWith(h.getString("field") + ": "), grpcMessage);
        }
    }

    @Test
    void malformedJsonNamesTheFieldAndShowsNoStackTrace() {
        JsonPath wrongType = post("/generate", "{\"count\": \"many\"}", 400);
        assertEquals("count", wrongType.getString("field"));
        assertTrue(wrongType.getString("message").startsWith("count: must be an integer"), wrongType.prettify());
        JsonPath unknown = post("/generate", "{\"colour\": \"red\"}", 400);
        assertEquals("colour", unknown.getString("field"));
        JsonPath notJson = post("/generate", "{prompt", 400);
        // one-ofs in sfd.v1, so only JSON can send both: refused with the validator's words
        assertEquals("steps: give steps or nfe, not both",
                post("/generate", "{\"steps\": 3, \"nfe\": 2, \"count\": 1}", 400).getString("message"));
        assertEquals("prompt: give a prompt or a label, not both",
                post("/generate", "{\"prompt\": \"north\", \"label\": 1, \"count\": 1}", 400).getString("message"));
        assertEquals("body", notJson.getString("field"));
        for (JsonPath j : List.of(wrongType, unknown, notJson)) {
            assertFalse(j.prettify().contains("\tat ") || j.prettify().contains("Exception"), j.prettify());
        }
    }

    @Test
    void sixtyThreeBitSeedsSurviveAsStrings() {
        String seed = "4611686018427387905"; // 2^62 + 1: not a JavaScript number
        JsonPath h = post("/generate", Map.of("prompt", "east", "seed", seed, "count", 2), 200);
        assertEquals(seed, h.getString("samples[0].seed"));
        assertEquals("4611686018427387906", h.getString("samples[1].seed"));
    }

    @Test
    void teacherRunsTheSameSeedsAtTheStudentsNfeAndAtTheReferenceNfe() {
        JsonPath t = post("/teacher", Map.of("prompt", "north", "steps", 3, "seeds", List.of("7", "8", "9", "10",
                "11", "12", "13", "14")), 200);
        assertEquals("mixture2d", t.getString("teacher"));
        assertEquals(2, t.getList("columns").size());
        assertEquals(2, t.getInt("columns[0].nfe"), "the student's NFE (N = 3 with AFS)");
        assertEquals(32, t.getInt("columns[1].nfe"), "the reference NFE (default)");
        for (int c = 0; c < 2; c++) {
            assertEquals(List.of("7", "8", "9", "10", "11", "12", "13", "14"),
                    t.getList("columns[" + c + "].samples.seed", String.class));
        }
        // at high NFE the teacher lands on the mode the prompt names: north = (0, 2)
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < 8; i++) {
            List<Float> v = t.getList("columns[1].samples[" + i + "].tensor.values", Float.class);
            meanX += v.get(0) / 8;
            meanY += v.get(1) / 8;
        }
        assertTrue(Math.abs(meanX) < 0.5 && Math.abs(meanY - 2) < 0.5, "mean " + meanX + ", " + meanY);
        JsonPath bad = post("/teacher", Map.of("prompt", "a tiny elephant", "seeds", List.of(1)), 400);
        assertTrue(bad.getString("message").startsWith("prompt: no word of"), bad.prettify());
    }

    @Test
    void pageIsServedWithoutExternalAssetsAndTheModelIsDescribed() {
        for (String file : List.of("", "playground.js", "playground.css")) {
            String body = given().when().get("/" + file).then().statusCode(200).extract().asString()
                    .replace("http://www.w3.org/2000/svg", ""); // a namespace name, not a download
            assertFalse(body.contains("http://") || body.contains("https://"), file + " loads something external");
            if (file.isEmpty()) {
                assertTrue(body.contains("SFD playground"), body);
            }
        }
        JsonPath info = given().when().get("/api/v1/playground").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"),
                info.getList("vocabulary.groups.'mode (compass)'", String.class));
        assertEquals(List.of(3, 5), info.getList("model.trainedSteps", Integer.class));
        assertEquals(List.of(2, 4), info.getList("model.trainedNfe", Integer.class));
        assertEquals(PlaygroundProfiles.Mixture.STUDENT, info.getString("model.student"));
        assertTrue(info.getBoolean("teacher.configured"));
        assertFalse(info.getMap("teacher").containsKey("unavailable"), info.prettify());
    }

    @Test
    void modelEventsStartWithTheServedModel() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(root + "api/v1/model/events"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            String event = null;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    JsonPath data = JsonPath.from(line.substring(6));
                    assertEquals("model", event);
                    assertTrue(data.getBoolean("ready"));
                    assertTrue(data.getLong("version") >= 1);
                    assertEquals("mixture2d", data.getString("dataset"));
                    return;
                }
            }
        }
        org.junit.jupiter.api.Assertions.fail("no event before the stream ended");
    }
}
