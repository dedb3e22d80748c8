package io.github.dl4jserving.datasets;

/**
 * A data set that cannot be used, with the place at fault where there is one: a 1-based data row
 * (the header is row 0) and a column name, or a file name inside an archive.
 */
public class InvalidDatasetException extends RuntimeException {
    private final Integer row;
    private final String column;

    public InvalidDatasetException(String message) {
        this(message, null, null);
    }

    public InvalidDatasetException(String message, Integer row, String column) {
        super(message);
        this.row = row;
        this.column = column;
    }

    public Integer row() {
        return row;
    }

    public String column() {
        return column;
    }
}
