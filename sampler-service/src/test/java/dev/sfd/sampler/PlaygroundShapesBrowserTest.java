package dev.sfd.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The playground page in headless Chromium on a shapes (image) student: a grid of PNG samples,
 * each captioned with its seed, the model version and the time, beside the teacher's columns.
 */
@QuarkusTest
@TestProfile(PlaygroundProfiles.Shapes.class)
class PlaygroundShapesBrowserTest {

    @TestHTTPResource("/")
    URL root;

    private static List<WebElement> images(HeadlessBrowser b, String column) {
        return b.driver.findElements(By.cssSelector("#" + column + " figure.sample img"));
    }

    @Test
    void generatesAnImageGridBesideTheTeachers() throws Exception {
        try (HeadlessBrowser b = HeadlessBrowser.open()) {
            b.driver.get(root.toString());
            b.await(d -> b.byId("model-version").getText().startsWith("v"));
            b.await(d -> !b.byId("prompt").getAttribute("value").isEmpty());
            assertTrue(b.byId("vocabulary").getText().contains("circle"), b.byId("vocabulary").getText());
            b.type("prompt", "a red circle");
            b.type("steps-value", "2");
            b.type("seed", "7");
            b.type("count", "8");
            b.byId("generate").click();
            b.await(d -> images(b, "teacher-reference-column").size() == 8);
            List<WebElement> student = images(b, "student-column");
            assertEquals(8, student.size());
            assertEquals(8, images(b, "teacher-same-column").size());
            for (WebElement img : student) {
                Object w = b.driver.executeScript("return arguments[0].complete ? arguments[0].naturalWidth : -1;", img);
                assertTrue(((Number) w).longValue() > 0, "the PNG decoded: width " + w);
            }
            String caption = b.driver.findElement(By.cssSelector("#student-column figure.sample figcaption")).getText();
            assertTrue(caption.startsWith("seed 7 · v1 · ") && caption.endsWith(" ms"), caption);
            assertTrue(b.byId("teacher-reference-column").getText().contains("NFE 8"));
            b.screenshot("playground-shapes.png");
        }
    }
}
