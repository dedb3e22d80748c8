package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web page at / in a real headless Chromium against the real server with copies of the shipped
 * models: drawing on the canvas with pointer actions, uploading a file, the generator grid, the
 * tabular form by keyboard, a training job followed to 100%, the models list, and an API error.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dl4j-serving.registry-rescan-interval=1h")
class WebPageTest extends PageInBrowser {
    @TempDir
    static Path models;

    @DynamicPropertySource
    static void modelsDir(DynamicPropertyRegistry registry) throws IOException {
        TestData.copyTree(TestData.MODELS_DIR, models);
        registry.add("dl4j-serving.models-dir", models::toString);
    }

    @BeforeEach
    void waitForTheLists() {
        wait.until(d -> d.findElements(By.cssSelector("#tab-fields input")).size() == 9
                && d.findElements(By.cssSelector("#job-model option")).size() >= 4
                && !d.findElements(By.cssSelector("#models-list .model")).isEmpty());
    }

    private void section(String id, String screenshot) {
        ((JavascriptExecutor) driver).executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
        Browser.screenshot(driver, screenshot);
    }

    /** Draws a polyline on the canvas, in canvas pixels (the canvas shows at 280x280). */
    private void stroke(int[][] points) {
        WebElement pad = driver.findElement(By.id("pad"));
        Actions a = new Actions(driver)
                .moveToElement(pad, points[0][0] - 140, points[0][1] - 140)
                .clickAndHold();
        for (int i = 1; i < points.length; i++) {
            int steps = 8;
            int dx = points[i][0] - points[i - 1][0];
            int dy = points[i][1] - points[i - 1][1];
            for (int s = 1; s <= steps; s++) {
                a.moveToElement(pad, points[i - 1][0] + dx * s / steps - 140, points[i - 1][1] + dy * s / steps - 140);
            }
        }
        a.release().perform();
    }

    private String topPrediction() {
        return wait.until(d -> {
            String top = d.findElement(By.id("digit-result")).getDomAttribute("data-top");
            return top == null || top.isEmpty() ? null : top;
        });
    }

    private void clearPad() {
        driver.findElement(By.id("clear-pad")).click();
        ((JavascriptExecutor) driver).executeScript("delete document.getElementById('digit-result').dataset.top");
    }

    @Test
    void readsAOneAndASevenDrawnOnTheCanvas() {
        stroke(new int[][] {{140, 40}, {140, 240}});
        assertThat(topPrediction()).isEqualTo("1");
        assertThat(driver.findElements(By.cssSelector("#digit-result li"))).hasSize(3);
        section("digits", "page-digits-one");

        clearPad();
        stroke(new int[][] {{60, 50}, {220, 50}, {120, 245}});
        assertThat(topPrediction()).isEqualTo("7");
        wait.until(d -> ((Number) ((JavascriptExecutor) d)
                                .executeScript("return document.getElementById('prepared').naturalWidth"))
                        .intValue()
                == 28);
        section("digits", "page-digits-seven");
    }

    @Test
    void classifiesAnUploadedFileAndShowsThePreparedImage() throws IOException {
        Path png = files.resolve("digit.png");
        Files.write(png, ServingEndToEndTest.png(0));
        driver.findElement(By.id("digit-file")).sendKeys(png.toString());

        assertThat(topPrediction()).isEqualTo(ServingEndToEndTest.label(0));
        wait.until(d -> ((Number) ((JavascriptExecutor) d)
                                .executeScript("return document.getElementById('prepared').naturalWidth"))
                        .intValue()
                == 28);
        section("digits", "page-upload");
    }

    @Test
    void generatesAGridOfTheRequestedCount() {
        new Select(driver.findElement(By.id("gen-count"))).selectByVisibleText("9");
        driver.findElement(By.id("gen-new-seed")).click();
        String seed = driver.findElement(By.id("gen-seed")).getDomProperty("value");
        driver.findElement(By.id("gen-submit")).click();

        wait.until(
                d -> d.findElements(By.cssSelector("#gen-grid img")).size() == 9
                        && (Boolean)
                                ((JavascriptExecutor) d)
                                        .executeScript(
                                                "return [...document.querySelectorAll('#gen-grid img')].every(i => i.complete && i.naturalWidth == 28)"));
        assertThat(driver.findElement(By.id("gen-grid")).getDomAttribute("data-seed"))
                .isEqualTo(seed);
        section("generator", "page-generator");
    }

    @Test
    void theLatentWalkShowsItsFramesWhoseEndsAreTheSeedsFirstDigits() {
        driver.findElement(By.id("walk-from")).clear();
        driver.findElement(By.id("walk-from")).sendKeys("7");
        driver.findElement(By.id("walk-to")).clear();
        driver.findElement(By.id("walk-to")).sendKeys("8");
        driver.findElement(By.id("walk-steps")).clear();
        driver.findElement(By.id("walk-steps")).sendKeys("6");
        driver.findElement(By.id("walk-submit")).click();
        wait.until(d -> d.findElements(By.cssSelector("#walk-frames img")).size() == 6
                && (Boolean) ((JavascriptExecutor) d)
                        .executeScript("return [...document.querySelectorAll('#walk-frames img')]"
                                + ".every(i => i.complete && i.naturalWidth == 28)"));
        String first =
                driver.findElements(By.cssSelector("#walk-frames img")).get(0).getDomAttribute("src");
        String last =
                driver.findElements(By.cssSelector("#walk-frames img")).get(5).getDomAttribute("src");
        assertThat(first).isNotEqualTo(last);

        driver.findElement(By.id("walk-steps")).clear();
        driver.findElement(By.id("walk-steps")).sendKeys("100000");
        driver.findElement(By.id("walk-submit")).click();
        wait.until(d -> d.findElement(By.id("walk-error")).isDisplayed());
        assertThat(driver.findElement(By.id("walk-error")).getText()).contains("interpolate.steps");
    }

    @Test
    void theTabularFormWorksFromTheKeyboard() {
        driver.findElement(By.id("tab-submit")).click();
        wait.until(d -> !d.findElement(By.id("tab-probability")).getText().equals("-"));
        double benign =
                Double.parseDouble(driver.findElement(By.id("tab-probability")).getText());
        assertThat(benign).isLessThan(0.1);
        assertThat(driver.findElement(By.id("tab-label")).getText()).isEqualTo("benign");

        for (WebElement slider : driver.findElements(By.cssSelector("#tab-fields input"))) {
            slider.sendKeys(Keys.END); // every feature to 10
        }
        driver.findElement(By.id("tab-submit")).sendKeys(Keys.ENTER);
        wait.until(d -> d.findElement(By.id("tab-label")).getText().equals("malignant"));
        assertThat(Double.parseDouble(
                        driver.findElement(By.id("tab-probability")).getText()))
                .isGreaterThan(0.9);
        assertThat(driver.findElement(By.id("tab-threshold-used")).getText()).isEqualTo("0.5");
        section("tabular", "page-tabular");
    }

    @Test
    void aTinyTrainingJobReachesOneHundredPercentAndItsVersionIsListed() {
        new Select(driver.findElement(By.id("job-model"))).selectByVisibleText("mnist-softmax");
        for (String[] field :
                new String[][] {{"job-epochs", "1"}, {"job-batch", "10"}, {"job-lr", "0.01"}, {"job-examples", "200"}
                }) {
            WebElement input = driver.findElement(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
        new Select(driver.findElement(By.id("job-promote"))).selectByVisibleText("always");
        driver.findElement(By.id("job-start")).click();

        wait.until(d ->
                "SUCCEEDED".equals(d.findElement(By.id("job-progress-text")).getDomAttribute("data-status")));
        assertThat(driver.findElement(By.id("job-progress")).getDomProperty("value"))
                .isEqualTo("1");
        // Before: the loss of the last progress event (often the first iteration's), as the final
        // status event carries none; now the job's own last loss.
        String id = wait.until(d ->
                d.findElement(By.cssSelector("#jobs-table tbody tr[data-job]")).getDomAttribute("data-job"));
        double loss = HttpTestClient.json(client.get("/jobs/" + id)).get("loss").asDouble();
        wait.until(d -> d.findElement(By.id("job-progress-text"))
                .getText()
                .contains(String.format(java.util.Locale.ROOT, "loss %.4f", loss)));
        wait.until(d -> d.findElement(By.cssSelector("#models-list [data-model='mnist-softmax'] .versions"))
                .getText()
                .equals("1, 2"));
        assertThat(driver.findElement(By.cssSelector("#models-list [data-model='mnist-softmax'] .default"))
                        .getText())
                .isEqualTo("2");
        assertThat(driver.findElement(By.cssSelector("#jobs-table tbody tr")).getText())
                .contains("SUCCEEDED");
        wait.until(d -> ((Number) ((JavascriptExecutor) d)
                                .executeScript("return document.getElementById('job-chart').naturalWidth"))
                        .intValue()
                > 0);
        section("training", "page-training");
        section("models", "page-models");
    }

    @Test
    void showsTheProblemDetailOfAnApiErrorInPlaceOfTheEarlierAnswer() throws IOException {
        Path png = files.resolve("digit.png");
        Files.write(png, ServingEndToEndTest.png(0));
        driver.findElement(By.id("digit-file")).sendKeys(png.toString());
        wait.until(d -> ((Number) ((JavascriptExecutor) d)
                                .executeScript("return document.getElementById('prepared').naturalWidth"))
                        .intValue()
                == 28);
        Path notAnImage = files.resolve("notes.txt");
        Files.writeString(notAnImage, "this is not an image");
        driver.findElement(By.id("digit-file")).sendKeys(notAnImage.toString());

        WebElement error = wait.until(d -> {
            WebElement e = d.findElement(By.id("digits-error"));
            return e.isDisplayed() ? e : null;
        });
        assertThat(error.getText()).contains("not an image in a supported format");
        // Before: the error showed beside a broken "sent" image and the earlier "what the model saw".
        assertThat(driver.findElement(By.id("uploaded")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("prepared")).isDisplayed()).isFalse();
        section("digits", "page-error");
    }

    @Test
    void fitsAPhoneSizedScreen() {
        driver.manage().window().setSize(new Dimension(390, 844));
        List<Object> widths = List.of(
                ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollWidth"),
                ((JavascriptExecutor) driver).executeScript("return window.innerWidth"));
        Browser.screenshot(driver, "page-phone");
        assertThat(((Number) widths.get(0)).intValue())
                .as("no sideways scrolling")
                .isLessThanOrEqualTo(((Number) widths.get(1)).intValue());
    }
}
