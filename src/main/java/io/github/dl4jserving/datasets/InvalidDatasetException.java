package io.github.dl4jserving.datasets;

import io.github.dl4jserving.platform.ServiceException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A data set that cannot be used, with the place at fault where there is one: a 1-based data row
 * (the header is row 0) and a column name, or a file name inside an archive.
 */
public class InvalidDatasetException extends ServiceException {
    private final Integer row;

    public InvalidDatasetException(String message) {
        this(message, null, null);
    }

    public InvalidDatasetException(String message, Integer row, String column) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid data set", message, column, null, null, null);
        this.row = row;
    }

    public Integer row() {
        return row;
    }

    @Override
    public Map<String, Object> properties() {
        return row == null ? Map.of() : Map.of("row", row);
    }
}
