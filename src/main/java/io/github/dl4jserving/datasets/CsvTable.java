package io.github.dl4jserving.datasets;

import java.util.ArrayList;
import java.util.List;

/**
 * A CSV table with a header row, read by {@link CsvRecords} (RFC 4180 quoting, CRLF or LF, a UTF-8
 * BOM, blank lines skipped). Every row must have the header's number of cells. Errors name the row
 * (1 = the first row after the header) and the column.
 */
public final class CsvTable {
    private final List<String> header;
    private final List<String[]> rows;

    private CsvTable(List<String> header, List<String[]> rows) {
        this.header = header;
        this.rows = rows;
    }

    /** The most cells (rows x columns) a table may have: see {@link #parse(byte[], int, int, long)}. */
    public static final long MAX_CELLS = 10_000_000;

    public static CsvTable parse(byte[] bytes, int maxRows, int maxColumns) {
        return parse(bytes, maxRows, maxColumns, MAX_CELLS);
    }

    /**
     * Parses a table of at most {@code maxRows} rows, {@code maxColumns} columns and {@code maxCells}
     * cells in all. The cells are what costs heap (about 50 bytes each as Java strings, however short
     * the text), so they are bounded together: 980,000 rows of 101 columns fit the row and column
     * limits, and took more heap than the service had.
     */
    public static CsvTable parse(byte[] bytes, int maxRows, int maxColumns, long maxCells) {
        List<String[]> records;
        try {
            records = CsvRecords.read(bytes, maxRows + 1, maxCells);
        } catch (CsvRecords.Malformed e) {
            int row = e.record() - 1;
            String reason = e.reason().contains("Invalid UTF-8") || e.reason().contains("UTF-8")
                    ? "it is not UTF-8 text"
                    : e.reason();
            throw new InvalidDatasetException(
                    (row == 0 ? "The header" : "Row " + row) + " is not well-formed CSV: " + reason + ".", row, null);
        }
        if (records.stream().mapToLong(r -> r.length).sum() > maxCells) {
            throw new InvalidDatasetException(
                    "The table has more than " + maxCells + " cells (rows x columns); at most " + maxCells
                            + " are read, as each takes memory. Upload fewer rows or columns.",
                    records.size() - 1,
                    null);
        }
        if (records.isEmpty()) {
            throw new InvalidDatasetException("The CSV file is empty: it needs a header row and data rows.");
        }
        String[] names = records.get(0);
        if (names.length > maxColumns) {
            throw new InvalidDatasetException(
                    "The header has " + names.length + " columns; at most " + maxColumns + " are allowed.", 0, null);
        }
        List<String> header = new ArrayList<>();
        for (int c = 0; c < names.length; c++) {
            String name = names[c].trim();
            if (name.isEmpty()) {
                throw new InvalidDatasetException("Header column " + (c + 1) + " has no name.", 0, null);
            }
            if (header.contains(name)) {
                throw new InvalidDatasetException("The header names column '" + name + "' twice.", 0, name);
            }
            header.add(name);
        }
        if (records.size() - 1 > maxRows) {
            throw new InvalidDatasetException("The table has more than " + maxRows + " rows.", maxRows + 1, null);
        }
        List<String[]> rows = new ArrayList<>(records.subList(1, records.size()));
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r);
            if (cells.length != header.size()) {
                throw new InvalidDatasetException(
                        "Row " + (r + 1) + " has " + cells.length + " cells but the header has " + header.size() + ".",
                        r + 1,
                        null);
            }
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].trim();
            }
        }
        if (rows.isEmpty()) {
            throw new InvalidDatasetException("The CSV file has a header but no data rows.", 1, null);
        }
        return new CsvTable(List.copyOf(header), rows);
    }

    public List<String> header() {
        return header;
    }

    public int rowCount() {
        return rows.size();
    }

    public int columnIndex(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new InvalidDatasetException(
                    "There is no column '" + name + "'; the header has " + header + ".", 0, name);
        }
        return i;
    }

    /** A column's cells as text. */
    public List<String> column(String name) {
        int c = columnIndex(name);
        return rows.stream().map(r -> r[c]).toList();
    }

    /** A column's cells as finite numbers; the first cell that is not one is reported with its row. */
    public double[] numericColumn(String name) {
        int c = columnIndex(name);
        double[] values = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String cell = rows.get(r)[c];
            try {
                values[r] = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                values[r] = Double.NaN;
            }
            if (!Double.isFinite(values[r])) {
                String shown = cell.length() > 40 ? cell.substring(0, 40) + "..." : cell;
                throw new InvalidDatasetException(
                        "Row " + (r + 1) + ", column '" + name + "': '" + shown + "' is not a number.", r + 1, name);
            }
        }
        return values;
    }
}
