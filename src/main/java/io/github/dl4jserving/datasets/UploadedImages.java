package io.github.dl4jserving.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/** Checks of an uploaded image data set as it is read back, and what to tell its sender when it cannot be. */
final class UploadedImages {
    private UploadedImages() {}

    /** The info of the IDX pair in {@code dir}, read back whole: counts agree, at least 10 images, labels known. */
    static DatasetInfo check(String id, String kind, String sha256, long bytes, Path dir) throws IOException {
        MnistIdxReader.IdxImages images = MnistIdxReader.readImages(dir.resolve(DatasetStore.IMAGES));
        int[] classes = MnistIdxReader.readLabels(dir.resolve(DatasetStore.LABELS));
        if (images.count() != classes.length) {
            throw new InvalidDatasetException("The image file holds " + images.count() + " images but the label file "
                    + classes.length + " labels.");
        }
        if (images.count() < 10) {
            throw new InvalidDatasetException(
                    "The data set holds " + images.count() + " images; at least 10 are needed.");
        }
        List<String> labels;
        if (kind.equals(DatasetInfo.IMAGE_IDX)) {
            for (int i = 0; i < classes.length; i++) {
                if (classes[i] > 9) {
                    throw new InvalidDatasetException(
                            "Label " + (i + 1) + " is " + classes[i] + "; MNIST-style labels are digits 0-9.",
                            i + 1,
                            null);
                }
            }
            labels = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        } else {
            labels = DatasetStore.JSON.readValue(
                    dir.resolve("labels.json").toFile(),
                    DatasetStore.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("width", images.cols());
        schema.put("height", images.rows());
        schema.put("prepared", kind.equals(DatasetInfo.IMAGE_FOLDER));
        return new DatasetInfo(
                id,
                kind,
                Instant.now(),
                sha256,
                bytes,
                images.count(),
                schema,
                labels,
                TabularSet.counts(classes, labels));
    }

    /**
     * What is wrong with the upload, in words for its sender. The IDX readers' own messages name the
     * file in the temporary directory and say what is wrong with it: they are kept, without the
     * server's path. The JDK's messages ({@code EOFException}, "Unexpected end of ZLIB input
     * stream", "invalid stored block lengths") are not shown; they are mapped to a plain statement.
     */
    static String readable(IOException e) {
        String m = e.getMessage();
        if (m != null && m.contains("/.tmp-")) {
            return m.replaceAll("/\\S*/\\.tmp-[0-9a-f-]+/", "");
        }
        if (e instanceof EOFException || (m != null && m.contains("Unexpected end"))) {
            return "The upload ends early: the file is truncated. Send the whole file.";
        }
        if (e instanceof ZipException) {
            return "The upload is not a readable zip or gzip file: it is damaged, or uses encryption or a "
                    + "compression method other than deflate, which are not supported.";
        }
        return "The upload could not be read: it is damaged or not in the format its Content-Type says.";
    }
}
