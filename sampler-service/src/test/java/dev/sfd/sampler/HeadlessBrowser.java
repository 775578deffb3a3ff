package dev.sfd.sampler;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium, with Debian's {@code chromium} and {@code chromium-driver}
 * (paths overridable by {@code sfd.test.chromium} / {@code sfd.test.chromedriver}). Where they
 * are not installed the calling test is skipped (a JUnit assumption) with the command that
 * installs them.
 */
final class HeadlessBrowser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90); // a shared, loaded machine

    final ChromeDriver driver;

    private HeadlessBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A browser, or the test is skipped when none is installed. */
    static HeadlessBrowser open() {
        Optional<Path> chromium = find("sfd.test.chromium", List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome"));
        Optional<Path> driver = find("sfd.test.chromedriver", List.of("/usr/bin/chromedriver",
                "/usr/lib/chromium/chromedriver"));
        Assumptions.assumeTrue(chromium.isPresent() && driver.isPresent(),
                "browser tests skipped: no Chromium/chromedriver found (install with "
                        + "`apt-get install -y chromium chromium-driver`; .ci/run does this on CI)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1500,1000", "--disable-extensions", "--no-first-run");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().build();
        return new HeadlessBrowser(new ChromeDriver(service, options));
    }

    private static Optional<Path> find(String property, List<String> candidates) {
        String set = System.getProperty(property);
        if (set != null && !set.isBlank()) {
            return Optional.of(Path.of(set)).filter(Files::isExecutable);
        }
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(condition);
    }

    WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    /** Replaces an input's value. */
    void type(String id, String value) {
        WebElement e = byId(id);
        e.clear();
        e.sendKeys(value);
    }

    /** Saves a screenshot of the page to {@code target/<name>} and, if {@code sfd.playground.screenshot-dir} is set, there too. */
    Path screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path out = Path.of("target", name);
        Files.createDirectories(out.getParent());
        Files.copy(shot.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
        String dir = System.getProperty("sfd.playground.screenshot-dir");
        if (dir != null && !dir.isBlank()) {
            Files.copy(shot.toPath(), Path.of(dir, name), StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
