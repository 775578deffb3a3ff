package dev.sfd.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.ModelInfoRequest;
import dev.sfd.stack.SharedLocalStack;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The playground page in headless Chromium on a mixture2d student: a scatter plot of the student's
 * samples beside the teacher's, a bad prompt's message (the gRPC one), and a hot swap showing up
 * on the open page without a reload. Skipped (assumption) when no browser is installed.
 */
@QuarkusTest
@TestProfile(PlaygroundProfiles.Mixture.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaygroundMixtureBrowserTest {

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

    /** The page, opened and showing a served model. */
    private HeadlessBrowser page() {
        HeadlessBrowser b = HeadlessBrowser.open();
        b.driver.get(root.toString());
        b.await(d -> b.byId("model-version").getText().startsWith("v"));
        b.await(d -> !b.byId("prompt").getAttribute("value").isEmpty()); // the vocabulary arrived
        return b;
    }

    private static List<WebElement> points(HeadlessBrowser b, String column) {
        return b.driver.findElements(By.cssSelector("#" + column + " svg circle.point"));
    }

    @Test
    void generatesAScatterPlotBesideTheTeachersAtTheSameAndAtHighNfe() throws Exception {
        try (HeadlessBrowser b = page()) {
            assertTrue(b.byId("vocabulary").getText().contains("north-east"), b.byId("vocabulary").getText());
            b.type("prompt", "north");
            b.type("steps-value", "2");
            b.type("seed", "7");
            b.type("count", "16");
            assertTrue(b.byId("compare").isSelected(), "comparison is on when a teacher is configured");
            b.byId("generate").click();
            b.await(d -> points(b, "teacher-reference-column").size() == 16);
            assertEquals(16, points(b, "student-column").size());
            assertEquals(16, points(b, "teacher-same-column").size());
            assertEquals("7", points(b, "student-column").get(0).getAttribute("data-seed"));
            assertEquals("22", points(b, "teacher-same-column").get(15).getAttribute("data-seed"));
            assertTrue(b.byId("student-column").getText().contains("NFE 2"), b.byId("student-column").getText());
            assertTrue(b.byId("teacher-reference-column").getText().contains("NFE 32"));
            assertTrue(b.byId("error").getAttribute("hidden") != null, "no error shown");
            b.screenshot("playground-mixture2d.png");
        }
    }

    @Test
    void aBadPromptShowsTheGrpcMessage() {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> clients.timed().generate(GenerateRequest.newBuilder().setPrompt("a tiny elephant")
                        .setCount(4).build()));
        String message = e.getStatus().getDescription();
        try (HeadlessBrowser b = page()) {
            b.type("prompt", "a tiny elephant");
            b.byId("generate").click();
            WebElement error = b.await(d -> b.byId("error").isDisplayed() ? b.byId("error") : null);
            assertTrue(error.getText().contains(message), error.getText() + " should contain " + message);
            assertTrue(error.getText().startsWith("INVALID_ARGUMENT: prompt: "), error.getText());
        }
    }

    @Test
    void aHotSwapShowsTheNewVersionOnTheOpenPage() throws Exception {
        try (HeadlessBrowser b = page(); TestCheckpoints checkpoints = new TestCheckpoints(SharedLocalStack.get())) {
            long served = clients.timed().modelInfo(ModelInfoRequest.getDefaultInstance()).getModel().getVersion();
            b.driver.executeScript("window.sfdNotReloaded = true;");
            assertEquals("v" + served, b.byId("model-version").getText());
            long next = checkpoints.store().latestVersion(PlaygroundProfiles.Mixture.STUDENT).orElse(0L) + 1;
            checkpoints.publish(PlaygroundProfiles.Mixture.STUDENT, next, TestCheckpoints.mixtureStudent());
            b.await(d -> b.byId("model-version").getText().equals("v" + next));
            assertEquals(Boolean.TRUE, b.driver.executeScript("return window.sfdNotReloaded === true;"),
                    "the page was not reloaded");
            assertTrue(b.byId("reloads").getText().contains("v" + next + " ok"), b.byId("reloads").getText());
        }
    }
}
