package io.github.dl4jserving.datasets;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV table with a header row: comma-separated, UTF-8, CRLF or LF line ends, blank lines
 * skipped, cells trimmed and stripped of surrounding double quotes (quoted commas are not
 * supported). Every row must have the header's number of cells. Errors name the row (1 = the first
 * row after the header) and the column.
 */
public final class CsvTable {
    private final List<String> header;
    private final List<String[]> rows;

    private CsvTable(List<String> header, List<String[]> rows) {
        this.header = header;
        this.rows = rows;
    }

    public static CsvTable parse(byte[] bytes, int maxRows, int maxColumns) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidDatasetException("The CSV file is not UTF-8 text.");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        int row = 0;
        for (String line : text.split("\r?\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (header == null) {
                if (cells.length > maxColumns) {
                    throw new InvalidDatasetException("The header has " + cells.length + " columns; at most "
                            + maxColumns + " are allowed.", 0, null);
                }
                header = new ArrayList<>();
                for (int c = 0; c < cells.length; c++) {
                    String name = clean(cells[c]);
                    if (name.isEmpty()) {
                        throw new InvalidDatasetException("Header column " + (c + 1) + " has no name.", 0, null);
                    }
                    if (header.contains(name)) {
                        throw new InvalidDatasetException("The header names column '" + name + "' twice.", 0, name);
                    }
                    header.add(name);
                }
                continue;
            }
            row++;
            if (row > maxRows) {
                throw new InvalidDatasetException("The table has more than " + maxRows + " rows.", row, null);
            }
            if (cells.length != header.size()) {
                throw new InvalidDatasetException("Row " + row + " has " + cells.length + " cells but the header has "
                        + header.size() + ".", row, null);
            }
            for (int c = 0; c < cells.length; c++) {
                cells[c] = clean(cells[c]);
            }
            rows.add(cells);
        }
        if (header == null) {
            throw new InvalidDatasetException("The CSV file is empty: it needs a header row and data rows.");
        }
        if (rows.isEmpty()) {
            throw new InvalidDatasetException("The CSV file has a header but no data rows.", 1, null);
        }
        return new CsvTable(List.copyOf(header), rows);
    }

    private static String clean(String cell) {
        String c = cell.trim();
        return c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"") ? c.substring(1, c.length() - 1).trim() : c;
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
            throw new InvalidDatasetException("There is no column '" + name + "'; the header has " + header + ".", 0,
                    name);
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
                throw new InvalidDatasetException("Row " + (r + 1) + ", column '" + name + "': '" + shown
                        + "' is not a number.", r + 1, name);
            }
        }
        return values;
    }
}
