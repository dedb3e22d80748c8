package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;

/** "Try it out" in Swagger UI, clicked through in a real headless Chromium against the real server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SwaggerUiTest extends RunningServer {
    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void open() throws IOException {
        driver = Browser.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        driver.get("http://localhost:" + port + "/swagger-ui.html");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations-Inference-predict")));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.quit();
        }
    }

    private WebElement tryItOut(String operationId) {
        WebElement op = driver.findElement(By.id(operationId));
        op.findElement(By.cssSelector(".opblock-summary")).click();
        wait.until(d -> !op.findElements(By.cssSelector(".try-out__btn")).isEmpty());
        // Swagger UI may still be rendering the section when the button first appears; click until
        // the operation switches into try-out mode.
        wait.until(d -> {
            if (!op.findElements(By.cssSelector("button.execute")).isEmpty()) {
                return true;
            }
            op.findElement(By.cssSelector(".try-out__btn")).click();
            return false;
        });
        return op;
    }

    private void chooseContentType(WebElement op, String type) {
        new Select(op.findElement(By.cssSelector("select[aria-label='Request content type']"))).selectByValue(type);
    }

    private String execute(WebElement op, String screenshot) {
        op.findElement(By.cssSelector("button.execute")).click();
        WebElement status = wait.until(
                d -> op.findElements(By.cssSelector(".live-responses-table tbody .response-col_status")).stream()
                        .findFirst()
                        .orElse(null));
        Browser.screenshot(driver, screenshot);
        String body = op.findElement(By.cssSelector(".live-responses-table tbody .response-col_description"))
                .getText();
        return status.getText().trim() + "\n" + body;
    }

    @Test
    void uploadsAnImageWithTheFilePicker() throws IOException {
        Path png = Files.createTempFile("digit", ".png");
        Files.write(png, ServingEndToEndTest.png(0));
        WebElement op = tryItOut("operations-Inference-predict");
        chooseContentType(op, "multipart/form-data");

        wait.until(d -> !op.findElements(By.cssSelector("input[type=file]")).isEmpty());
        op.findElement(By.cssSelector("input[type=file]")).sendKeys(png.toString());
        String result = execute(op, "swagger-multipart");

        assertThat(result)
                .startsWith("200")
                .contains("mnist-mlp")
                .contains("\"label\": \"" + ServingEndToEndTest.label(0) + "\"");
    }

    @Test
    void sendsTheTabularExampleAsItIs() {
        WebElement op = tryItOut("operations-Inference-predict");
        chooseContentType(op, "application/json");
        new Select(op.findElement(By.cssSelector("select.examples-select-element"))).selectByValue("tabular-features");

        String result = execute(op, "swagger-tabular");

        assertThat(result).startsWith("200").contains("breast-cancer-logreg").contains("malignant");
    }

    @Test
    void sendsTheGeneratorExampleToTheNamedModel() {
        WebElement op = tryItOut("operations-Inference-predictWithModel");
        op.findElement(By.cssSelector("tr[data-param-name='model'][data-param-in='path'] input"))
                .sendKeys("mnist-dcgan");
        chooseContentType(op, "application/json");
        new Select(op.findElement(By.cssSelector("select.examples-select-element"))).selectByValue("generator-seed");

        String result = execute(op, "swagger-generator");

        assertThat(result)
                .startsWith("200")
                .contains("mnist-dcgan")
                .contains("\"seed\": 42")
                .contains("\"count\": 16");
    }
}
