package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A request's images are weighed by their headers before any is decoded. */
class DigitImagesTest {
    private static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", out);
        return out.toByteArray();
    }

    @Test
    void imagesThatTogetherDeclareTooManyPixelsAreRefusedByTheirHeadersAlone() throws IOException {
        DigitImages digits = new DigitImages(4096, 1000L * 1000);
        byte[] large = png(600, 600);
        byte[] damaged = "not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThatCode(() -> digits.checkDeclaredPixels(List.of(large, large))).doesNotThrowAnyException();
        assertThatCode(() -> digits.checkDeclaredPixels(List.of(large, damaged, large)))
                .as("a file without a readable header is left to its decoding")
                .doesNotThrowAnyException();
        long start = System.nanoTime();
        assertThatThrownBy(() -> digits.checkDeclaredPixels(Collections.nCopies(64, large)))
                .isInstanceOf(PixelBudgetExceededException.class)
                .hasMessageContaining("1000000 pixels");
        System.out.printf("64 headers of 600x600 weighed in %.1f ms%n", (System.nanoTime() - start) / 1e6);
        assertThatCode(() -> digits.checkDeclaredPixels(List.of(png(2000, 2000))))
                .as("one image is weighed as it is decoded")
                .doesNotThrowAnyException();
        assertThat(digits.budget().cpuLeftNanos()).isPositive();
    }
}
