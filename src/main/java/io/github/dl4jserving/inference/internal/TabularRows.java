package io.github.dl4jserving.inference.internal;

import io.github.dl4jserving.datasets.CsvRecords;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.inference.JsonValues;
import io.github.dl4jserving.registry.ModelDescriptor.FeatureRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns table rows given as JSON values or CSV text into feature vectors in the model's order,
 * refusing unknown or missing names, anything that is not a finite number, and values outside the
 * declared range, always naming the field at fault.
 */
public final class TabularRows {
    /** CSV columns that are accepted and ignored, so the original data file can be sent as it is. */
    static final Set<String> IGNORED_COLUMNS = Set.of("id", "class");

    private TabularRows() {}

    /** One row from a JSON object of name to number, or an ordered JSON array of numbers. */
    public static double[] fromJson(Object value, List<FeatureRange> schema, String field) {
        if (value instanceof Map<?, ?> map) {
            return fromObject(map, schema, field);
        }
        if (value instanceof List<?> list) {
            if (list.size() != schema.size()) {
                throw new InvalidInputException(
                        field,
                        field + " has " + list.size() + " values; the model takes " + schema.size()
                                + ", in this order: " + names(schema) + ".");
            }
            double[] row = new double[schema.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = check(
                        list.get(i),
                        schema.get(i),
                        field + "[" + i + "] (" + schema.get(i).name() + ")");
            }
            return row;
        }
        throw new InvalidInputException(
                field,
                field + " must be an object of feature names to numbers or an array of " + schema.size()
                        + " numbers in the order " + names(schema) + ".");
    }

    private static double[] fromObject(Map<?, ?> map, List<FeatureRange> schema, String field) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < schema.size(); i++) {
            index.put(schema.get(i).name(), i);
        }
        for (Object key : map.keySet()) {
            if (!index.containsKey(String.valueOf(key))) {
                throw new InvalidInputException(
                        field + "." + key,
                        "Unknown feature '" + shorten(key) + "' in " + field + ". The model's features are "
                                + names(schema) + ".");
            }
        }
        double[] row = new double[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            FeatureRange f = schema.get(i);
            if (!map.containsKey(f.name())) {
                throw new InvalidInputException(
                        field + "." + f.name(),
                        "The feature '" + f.name() + "' is missing from " + field + ". Every one of " + names(schema)
                                + " is required.");
            }
            row[i] = check(map.get(f.name()), f, field + "." + f.name());
        }
        return row;
    }

    /**
     * Rows of a CSV body whose header names the features (any order; {@code id} and {@code class}
     * ignored). Errors name the row, 1 being the first after the header.
     */
    public static List<double[]> fromCsv(String csv, List<FeatureRange> schema, int maxRows) {
        List<String[]> records;
        try {
            records = CsvRecords.read(csv, maxRows + 1);
        } catch (CsvRecords.Malformed e) {
            int row = e.record() - 1;
            throw new InvalidInputException(
                    row == 0 ? "csv" : "csv.row" + row,
                    (row == 0 ? "The CSV header" : "CSV row " + row) + " is not well-formed CSV: " + e.reason() + ".");
        }
        if (records.isEmpty()) {
            throw new InvalidInputException(
                    "csv",
                    "The CSV body is empty. Send a header row with the feature " + "names " + names(schema)
                            + " and one row per sample.");
        }
        String[] columns = records.get(0);
        if (columns.length > 4 * schema.size() + 16) {
            throw new InvalidInputException(
                    "csv",
                    "The CSV header has " + columns.length + " columns; the model takes " + schema.size()
                            + " features.");
        }
        int[] columnToFeature = new int[columns.length];
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < columns.length; c++) {
            String name = columns[c].trim();
            int f = indexOf(schema, name);
            if (f < 0 && !IGNORED_COLUMNS.contains(name)) {
                throw new InvalidInputException(
                        "csv." + shorten(name),
                        "Unknown CSV column '" + shorten(name) + "'. The model's features are " + names(schema)
                                + ". The header row is required.");
            }
            if (!seen.add(name)) {
                throw new InvalidInputException(
                        "csv." + shorten(name), "The CSV column '" + shorten(name) + "' appears twice.");
            }
            columnToFeature[c] = f;
        }
        for (FeatureRange f : schema) {
            if (!seen.contains(f.name())) {
                throw new InvalidInputException(
                        "csv." + f.name(),
                        "The CSV header lacks the feature '" + f.name() + "'. Every one of " + names(schema)
                                + " is required.");
            }
        }
        if (records.size() - 1 > maxRows) {
            throw new InvalidInputException(
                    "csv",
                    "The CSV body has more than " + maxRows + " rows; send at most " + maxRows + " per request.");
        }
        List<double[]> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            String[] cells = records.get(r);
            if (cells.length != columns.length) {
                throw new InvalidInputException(
                        "csv.row" + r,
                        "CSV row " + r + " has " + cells.length + " cells; the header has " + columns.length + ".");
            }
            double[] row = new double[schema.size()];
            for (int c = 0; c < cells.length; c++) {
                int f = columnToFeature[c];
                if (f >= 0) {
                    String field = "csv.row" + r + "." + schema.get(f).name();
                    row[f] = check(parse(cells[c].trim(), field), schema.get(f), field);
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new InvalidInputException("csv", "The CSV body has a header but no rows.");
        }
        return rows;
    }

    private static Object parse(String cell, String field) {
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, field + " is '" + shorten(cell) + "', which is not a number.");
        }
    }

    /** {@code value} as a finite number within {@code f}'s range, or an InvalidInputException naming {@code field}. */
    public static double check(Object value, FeatureRange f, String field) {
        if (!(value instanceof Number n)) {
            throw new InvalidInputException(
                    field,
                    field + " must be a number from " + fmt(f.min()) + " to " + fmt(f.max()) + ", not "
                            + describe(value) + ".");
        }
        double v = n.doubleValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new InvalidInputException(field, field + " must be a finite number, not " + v + ".");
        }
        JsonValues.toFloat(v, field);
        if (v < f.min() || v > f.max()) {
            throw new InvalidInputException(
                    field,
                    field + " is " + fmt(v) + ", outside its valid range " + fmt(f.min()) + " to " + fmt(f.max())
                            + ".");
        }
        return v;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string \"" + shorten(s) + "\"";
        }
        return "a "
                + (value instanceof Map
                        ? "JSON object"
                        : value instanceof List
                                ? "JSON array"
                                : value.getClass().getSimpleName().toLowerCase());
    }

    private static int indexOf(List<FeatureRange> schema, String name) {
        for (int i = 0; i < schema.size(); i++) {
            if (schema.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    static String names(List<FeatureRange> schema) {
        return schema.stream().map(FeatureRange::name).toList().toString();
    }

    static String shorten(Object o) {
        String s = String.valueOf(o);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
