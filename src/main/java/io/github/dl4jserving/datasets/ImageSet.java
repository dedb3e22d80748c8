package io.github.dl4jserving.datasets;

import io.github.dl4jserving.datasets.internal.DigitImagePreprocessor;
import java.util.List;

/**
 * Labelled grey images of {@code rows x cols} bytes, ink bright. {@code prepared} images are
 * already 28x28 and centred as requests are; others still go through {@link DigitImagePreprocessor}.
 */
public record ImageSet(MnistIdxReader.IdxImages images, int[] classes, List<String> labels, boolean prepared) {}
