package org.saliency4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.saliency4j.io.PictureEncoder;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.saliency4j.ModelOptions;
import org.saliency4j.explain.SaliencyModel;
import org.saliency4j.method.Methods;
import org.saliency4j.models.BuiltinModels;

/**
 * The viewer page in a real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them, and
 * the test is skipped where they are missing): upload, see the overlay, move sliders and see the pixels change
 * with no new request. Screenshots go to target/viewer/.
 */
class ViewerPageTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void uploadShowsTheOverlayAndSlidersRepaintWithoutANewRequest() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (installed by .ci/run)");
        Path star = Files.write(dir.resolve("star.png"), PictureEncoder.png(BuiltinModels.demoSample().image()));
        Path photo = dir.resolve("rocket.jpg");
        try (InputStream in = getClass().getResourceAsStream("/org/saliency4j/rocket.jpg")) {
            Files.copy(in, photo);
        }
        Path shots = Files.createDirectories(Path.of("target", "viewer"));
        try (LogCapture log = new LogCapture();
             SaliencyService service = SaliencyService.start(SaliencyModel.load(BuiltinModels.demoFile(),
                ModelOptions.defaults().withDevice("cpu")), new ServiceOptions("127.0.0.1", 0, 4, 0, 16, 1 << 24,
                30_000, 8))) {
            ChromeDriver browser = browser();
            try {
                browser.get(service.url());
                upload(browser, star);
                assertTrue(text(browser, "predictions").startsWith("star"), text(browser, "predictions"));
                String overlay = pixels(browser);
                Files.write(shots.resolve("viewer-star.png"), browser.getScreenshotAs(OutputType.BYTES));
                int explains = count(log, "POST /v1/explain 200");

                slide(browser, "alpha", "0");
                String imageOnly = pixels(browser);
                assertNotEquals(overlay, imageOnly, "alpha 0 removes the overlay");
                slide(browser, "alpha", "0.9");
                slide(browser, "low", "0.4");
                String windowed = pixels(browser);
                assertNotEquals(overlay, windowed, "the contrast window and alpha repaint the map");
                slide(browser, "brightness", "1.6");
                assertNotEquals(windowed, pixels(browser), "brightness repaints the image");
                assertEquals(explains, count(log, "POST /v1/explain 200"), "sliders send no request");

                new Select(browser.findElement(By.id("method"))).selectByVisibleText("grad-cam");
                waitReady(browser);
                assertTrue(text(browser, "status").startsWith("grad-cam at norm4"), text(browser, "status"));

                // The choices are the service's methods, noise tunnels of every kind included; a tunnel picks its
                // base from the others.
                Select methods = new Select(browser.findElement(By.id("method")));
                assertEquals(Methods.all().stream().map(Methods.Info::name).toList(),
                        methods.getOptions().stream().map(o -> o.getText()).toList());
                assertFalse(browser.findElement(By.id("base")).isDisplayed(), "grad-cam takes no base");
                methods.selectByVisibleText("smoothgrad-sq");
                waitReady(browser);
                assertTrue(text(browser, "status").startsWith("smoothgrad-sq, "), text(browser, "status"));
                Select bases = new Select(browser.findElement(By.id("base")));
                assertEquals(Methods.all().stream().filter(m -> !m.noiseTunnel()).map(Methods.Info::name).toList(),
                        bases.getOptions().stream().map(o -> o.getText()).toList());
                bases.selectByVisibleText("grad-cam");
                waitReady(browser);
                assertTrue(text(browser, "status").startsWith("smoothgrad-sq:grad-cam at norm4"),
                        text(browser, "status"));

                // A method's parameters get controls from the service's listing; a changed one is sent.
                methods.selectByVisibleText("integrated-gradients");
                waitReady(browser);
                assertEquals("64", browser.findElement(By.id("parameter-steps")).getDomProperty("value"));
                assertEquals(List.of("midpoint", "gauss-legendre"), new Select(browser.findElement(
                        By.id("parameter-integration"))).getOptions().stream().map(o -> o.getText()).toList());
                assertEquals(64L, ((JavascriptExecutor) browser).executeScript(
                        "return state.record.integration_steps"));
                ((JavascriptExecutor) browser).executeScript("document.body.dataset.state = 'choosing';"
                        + "const steps = document.getElementById('parameter-steps'); steps.value = '8';"
                        + "steps.dispatchEvent(new Event('change'))");
                waitReady(browser);
                assertEquals(8L, ((JavascriptExecutor) browser).executeScript(
                        "return state.record.integration_steps"), "the typed steps were sent");
                assertFalse(browser.findElements(By.id("parameter-samples")).size() > 0, "no tunnel, no samples");

                // Each method's parameters are controls, from the service's list, starting at its defaults; the
                // service's errors about them are shown, and the page keeps working.
                methods.selectByVisibleText("occlusion");
                waitReady(browser);
                assertTrue(text(browser, "status").startsWith("occlusion, "), text(browser, "status"));
                assertEquals("16", browser.findElement(By.id("parameter-window")).getDomProperty("value"));
                assertEquals("8", browser.findElement(By.id("parameter-stride")).getDomProperty("value"));
                assertEquals("zero", browser.findElement(By.id("parameter-baseline")).getDomProperty("value"));
                setParameter(browser, "window", "65");
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                        "error".equals(d.findElement(By.tagName("body")).getDomAttribute("data-state")));
                assertTrue(text(browser, "status").contains("window: the window (65 pixels) is larger than the 64x64 "
                        + "input"), text(browser, "status"));
                setParameter(browser, "window", "32");
                waitReady(browser);
                setParameter(browser, "stride", "32");
                waitReady(browser);
                Files.write(shots.resolve("viewer-occlusion.png"), browser.getScreenshotAs(OutputType.BYTES));

                upload(browser, photo);
                Files.write(shots.resolve("viewer-photo.png"), browser.getScreenshotAs(OutputType.BYTES));
                assertEquals(explains + 9, count(log, "POST /v1/explain 200"));

                // A file that is not an image: the page says what the service said, and keeps working.
                Path text = Files.writeString(dir.resolve("notes.png"), "not an image at all");
                browser.executeScript("document.body.dataset.state = 'choosing'");
                browser.findElement(By.id("file")).sendKeys(text.toAbsolutePath().toString());
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                        "error".equals(d.findElement(By.tagName("body")).getDomAttribute("data-state")));
                assertTrue(text(browser, "status").contains("not an image"), text(browser, "status"));
                upload(browser, star);
                assertTrue(text(browser, "predictions").startsWith("star"), text(browser, "predictions"));
            } finally {
                browser.quit();
            }
        }
    }

    private static ChromeDriver browser() {
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File(CHROMIUM.toString()));
        // This machine's network is closed: the background-networking flags keep Chromium from trying it.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,820");
        return new ChromeDriver(driver, options);
    }

    private static void upload(ChromeDriver browser, Path file) {
        browser.executeScript("document.body.dataset.state = 'choosing'");
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        waitReady(browser);
    }

    private static void waitReady(ChromeDriver browser) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            String state = d.findElement(By.tagName("body")).getDomAttribute("data-state");
            if ("error".equals(state)) {
                throw new AssertionError("the page shows an error: " + d.findElement(By.id("status")).getText());
            }
            return "ready".equals(state);
        });
    }

    /** Sets a slider as a user's drag would end, firing its input event. */
    private static void slide(ChromeDriver browser, String id, String value) {
        ((JavascriptExecutor) browser).executeScript("const s = document.getElementById(arguments[0]);"
                + "s.value = arguments[1]; s.dispatchEvent(new Event('input'));", id, value);
    }

    /** Types a value into a method parameter's control, firing its change event. */
    private static void setParameter(ChromeDriver browser, String name, String value) {
        ((JavascriptExecutor) browser).executeScript("const s = document.getElementById('parameter-' + arguments[0]);"
                + "s.value = arguments[1]; s.dispatchEvent(new Event('change'));", name, value);
    }

    /** A digest of the canvas's pixels. */
    private static String pixels(ChromeDriver browser) {
        return (String) browser.executeScript("const c = document.getElementById('view');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let h = 0; for (let i = 0; i < d.length; i++) { h = (h * 31 + d[i]) | 0; }"
                + "return c.width + 'x' + c.height + ':' + h;");
    }

    private static String text(ChromeDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static int count(LogCapture log, String line) {
        return log.text().split(java.util.regex.Pattern.quote(line), -1).length - 1;
    }
}
