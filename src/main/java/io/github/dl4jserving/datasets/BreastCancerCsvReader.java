package io.github.dl4jserving.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the UCI Breast Cancer Wisconsin (Original) table: no header, 11 comma-separated columns
 * ({@code id}, nine features scored 1 to 10, {@code class} 2 = benign or 4 = malignant). Missing
 * values, written {@code ?}, come back as {@link Double#NaN} so the caller decides how to impute.
 */
public final class BreastCancerCsvReader {
    /** The nine features in file order; these are also the names the tabular API accepts. */
    public static final List<String> FEATURES = List.of(
            "clump_thickness",
            "uniformity_cell_size",
            "uniformity_cell_shape",
            "marginal_adhesion",
            "single_epithelial_cell_size",
            "bare_nuclei",
            "bland_chromatin",
            "normal_nucleoli",
            "mitoses");

    public static final List<String> LABELS = List.of("benign", "malignant");

    private BreastCancerCsvReader() {}

    public static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.trim().split(",", -1);
            if (cells.length != FEATURES.size() + 2) {
                throw new IOException(file + " line " + lineNo + ": expected 11 columns, found " + cells.length);
            }
            double[] features = new double[FEATURES.size()];
            for (int f = 0; f < features.length; f++) {
                String cell = cells[f + 1].trim();
                features[f] = cell.equals("?") ? Double.NaN : parse(cell, file, lineNo);
            }
            int cls = (int) parse(cells[cells.length - 1].trim(), file, lineNo);
            if (cls != 2 && cls != 4) {
                throw new IOException(file + " line " + lineNo + ": class must be 2 or 4, found " + cls);
            }
            rows.add(new Row(cells[0].trim(), features, cls == 4));
        }
        return rows;
    }

    public static List<Row> read(DataDirectory data) throws IOException {
        return read(data.resolve(DatasetFile.BREAST_CANCER));
    }

    private static double parse(String cell, Path file, int lineNo) throws IOException {
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new IOException(file + " line " + lineNo + ": '" + cell + "' is not a number", e);
        }
    }

    /** One sample; {@code malignant} is the positive class. */
    public record Row(String id, double[] features, boolean malignant) {}
}
