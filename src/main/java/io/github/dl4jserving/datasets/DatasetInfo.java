package io.github.dl4jserving.datasets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An uploaded data set as {@code GET /datasets/{id}} shows it and {@code dataset.json} keeps it.
 *
 * @param kind        {@code tabular-csv}, {@code image-idx} or {@code image-folder}
 * @param sha256      of the uploaded bytes (the CSV, the zip, or the image file then the label file)
 * @param rows        rows or images
 * @param schema      kind-specific: the features and target of a table, the image size of images
 * @param labels      the class names, in class-index order
 * @param classCounts rows or images per class name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetInfo(
        String id,
        String kind,
        Instant createdAt,
        String sha256,
        long bytes,
        int rows,
        Map<String, Object> schema,
        List<String> labels,
        Map<String, Integer> classCounts) {

    public static final String TABULAR_CSV = "tabular-csv";
    public static final String IMAGE_IDX = "image-idx";
    public static final String IMAGE_FOLDER = "image-folder";
}
