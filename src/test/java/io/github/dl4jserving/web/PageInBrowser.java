package io.github.dl4jserving.web;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A test of the web page at / in Chromium (see {@link Browser}), opened before each test and closed after. */
abstract class PageInBrowser extends RunningServer {
    @TempDir
    Path files;

    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void openPage() throws IOException {
        driver = Browser.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        // the page redraws its lists and tables on every server event: an element found a moment
        // ago may have been replaced; look again
        wait.ignoring(StaleElementReferenceException.class);
        driver.get("http://localhost:" + port + "/");
    }

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }
}
