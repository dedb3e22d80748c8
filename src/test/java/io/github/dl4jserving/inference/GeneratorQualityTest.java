package io.github.dl4jserving.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.ShippedModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The shipped generator judged by the shipped classifier: its digits, sent back through the
 * image path, should mostly be read confidently, and as more than a couple of different digits.
 * A generator that draws noise or one blob fails this.
 */
class GeneratorQualityTest {
    static final int COUNT = 256;

    @Test
    void theShippedGeneratorDrawsDigitsTheShippedClassifierRecognises() throws IOException {
        InferenceService inference = ShippedModels.inference();
        Answers.GeneratedDigits digits = inference.generate("mnist-dcgan", null, COUNT, 42L);
        List<ImageInput> images = new ArrayList<>();
        for (BufferedImage image : digits.images()) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            images.add(ImageInput.file(png.toByteArray()));
        }

        List<Answers.Prediction> predictions =
                inference.classifyImages("mnist-mlp", null, images, 1).predictions();

        long confident = predictions.stream().filter(p -> p.score() >= 0.9).count();
        int[] counts = new int[10];
        predictions.forEach(p -> counts[Integer.parseInt(p.label())]++);
        long distinct = Arrays.stream(counts).filter(c -> c >= COUNT / 50).count();
        System.out.printf(
                "mnist-dcgan v%d, %d digits: %d read with p >= 0.9 (%.1f%%); label counts %s%n",
                digits.version(), COUNT, confident, 100.0 * confident / COUNT, Arrays.toString(counts));
        assertThat(confident).isGreaterThanOrEqualTo(COUNT / 2);
        assertThat(distinct)
                .as("digits that make up at least 2%% of the output")
                .isGreaterThanOrEqualTo(6);
    }
}
