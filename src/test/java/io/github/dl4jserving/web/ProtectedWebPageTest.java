package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web page in Chromium against a server that wants its API key for reads too
 * ({@code protect-reads=true}), serving versions whose labels, feature names and metric names hold
 * markup (written to the store directly, as no upload would take them): the page works once the key
 * is typed in, sends it in headers only, never in a URL, and shows the markup as text.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dl4j-serving.registry-rescan-interval=1h",
            "dl4j-serving.security.api-key=" + ProtectedWebPageTest.KEY,
            "dl4j-serving.security.protect-reads=true"
        })
class ProtectedWebPageTest extends PageInBrowser {
    static final String KEY = "page-test-key-4f9c2a";
    static final String MARKUP = "<img src=x onerror=\"window.injected=(window.injected||0)+1\">";

    @TempDir
    static Path models;

    @DynamicPropertySource
    static void modelsDir(DynamicPropertyRegistry registry) throws IOException {
        for (String name : List.of("mnist-mlp", "breast-cancer-logreg", "mnist-softmax")) {
            TestData.copyTree(TestData.MODELS_DIR.resolve(name), models.resolve(name));
        }
        hostileVersion(
                "mnist-mlp",
                json -> json.replaceAll(
                        "\"labels\" : \\[[^\\]]*\\]",
                        Matcher.quoteReplacement("\"labels\" : ["
                                + String.join(
                                        ", ",
                                        IntStream.range(0, 10)
                                                .mapToObj(d -> quoted(d + MARKUP))
                                                .toList()) + "]")));
        hostileVersion(
                "breast-cancer-logreg",
                json -> json.replace("\"clump_thickness\"", quoted("clump" + MARKUP))
                        .replace("\"test_accuracy\"", quoted("test_" + MARKUP)));
        registry.add("dl4j-serving.models-dir", models::toString);
        registry.add("dl4j-serving.seed-models-dir", () -> "");
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }

    /** Version 2 of {@code name}: version 1 with its model.json edited, pinned as the default. */
    private static void hostileVersion(String name, UnaryOperator<String> edit) throws IOException {
        Path v2 = models.resolve(name).resolve("2");
        TestData.copyTree(models.resolve(name).resolve("1"), v2);
        String json = Files.readString(v2.resolve("model.json")).replaceFirst("\"version\" : 1", "\"version\" : 2");
        Files.writeString(v2.resolve("model.json"), edit.apply(json));
        Files.writeString(models.resolve(name).resolve("default-version"), "2\n");
    }

    @Test
    void worksWithTheKeyInHeadersAndShowsMarkupInModelDataAsText() throws IOException {
        // Without the key the page itself loads, says what is missing, and shows no broken images.
        WebElement error = wait.until(d -> {
            WebElement e = d.findElement(By.id("models-error"));
            return e.isDisplayed() ? e : null;
        });
        assertThat(error.getText()).contains("API key");
        for (String id : List.of("uploaded", "prepared", "job-chart")) {
            assertThat(driver.findElement(By.id(id)).isDisplayed())
                    .as(id + " before first use")
                    .isFalse();
        }

        driver.findElement(By.id("api-key")).sendKeys(KEY, Keys.TAB);
        wait.until(d -> d.findElements(By.cssSelector("#tab-fields input")).size() == 9
                && d.findElements(By.cssSelector("#job-model option")).size() >= 4
                && d.findElements(By.cssSelector("#models-list .model")).size() == 3);
        assertThat(driver.findElement(By.id("models-error")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("tab-fields")).getText()).contains("clump" + MARKUP);
        assertThat(driver.findElement(By.cssSelector("#models-list [data-model='breast-cancer-logreg']"))
                        .getText())
                .contains("test_" + MARKUP);

        Path png = files.resolve("digit.png");
        Files.write(png, ServingEndToEndTest.png(0));
        driver.findElement(By.id("digit-file")).sendKeys(png.toString());
        wait.until(d -> d.findElement(By.id("digit-result")).getDomAttribute("data-top") != null);
        assertThat(driver.findElement(By.id("digit-result")).getText()).contains(ServingEndToEndTest.label(0) + MARKUP);
        wait.until(d -> ((Number) js("return document.getElementById('prepared').naturalWidth")).intValue() == 28);

        driver.findElement(By.id("tab-submit")).click();
        wait.until(d -> !d.findElement(By.id("tab-label")).getText().equals("-"));

        new Select(driver.findElement(By.id("job-model"))).selectByVisibleText("mnist-softmax");
        for (String[] field : new String[][] {{"job-epochs", "1"}, {"job-batch", "10"}, {"job-examples", "200"}}) {
            WebElement input = driver.findElement(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
        driver.findElement(By.id("job-start")).click();
        wait.until(d ->
                "SUCCEEDED".equals(d.findElement(By.id("job-progress-text")).getDomAttribute("data-status")));
        wait.until(d -> ((Number) js("return document.getElementById('job-chart').naturalWidth")).intValue() > 0);
        Browser.screenshot(driver, "page-protected");

        assertThat(js("return window.injected"))
                .as("no markup from model data ran")
                .isNull();
        assertThat(driver.findElements(By.cssSelector("#tab-fields img, #models-list img, #digit-result img")))
                .isEmpty();
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>)
                js("return performance.getEntriesByType('resource').map(e => e.name)" + ".concat([location.href])");
        assertThat(urls).isNotEmpty().noneMatch(u -> u.contains(KEY));
    }
}
