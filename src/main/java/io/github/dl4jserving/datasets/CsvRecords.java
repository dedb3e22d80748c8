package io.github.dl4jserving.datasets;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * CSV text as records of cells, read by Jackson's CSV module: RFC 4180 quoting (quoted commas,
 * quotes doubled inside quotes, line breaks inside quotes), LF or CRLF line ends, a leading UTF-8
 * byte-order mark, blank lines skipped and spaces around unquoted cells trimmed. Both the
 * {@code /predict} CSV body and uploaded data sets are read here.
 */
public final class CsvRecords {
    private static final ObjectReader READER = CsvMapper.builder()
            .enable(CsvReadFeature.WRAP_AS_ARRAY)
            .enable(CsvReadFeature.TRIM_SPACES)
            .enable(CsvReadFeature.SKIP_EMPTY_LINES)
            .build()
            .readerFor(String[].class)
            .with(CsvSchema.emptySchema());

    private CsvRecords() {}

    /**
     * The first {@code limit} records of {@code text} (the header among them), and one more if there
     * is one, so the caller can tell that the text holds more than it accepts without reading it all.
     *
     * @throws Malformed when the text is not CSV, naming the record (1 = the first) where it broke
     */
    public static List<String[]> read(String text, int limit) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return collect(() -> READER.readValues(body), limit, Long.MAX_VALUE);
    }

    /**
     * The records of {@code bytes}, UTF-8, decoded as they are read (no copy of the whole text is
     * made), up to {@code limit} records or until they hold more than {@code maxCells} cells; the
     * record that passes either is included, so the caller can tell.
     *
     * @throws Malformed when the bytes are not UTF-8 CSV, naming the record where it broke
     */
    public static List<String[]> read(byte[] bytes, int limit, long maxCells) {
        int start =
                bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF
                        ? 3
                        : 0;
        return collect(
                () -> READER.readValues(new ByteArrayInputStream(bytes, start, bytes.length - start)), limit, maxCells);
    }

    private static List<String[]> collect(Supplier<MappingIterator<String[]>> open, int limit, long maxCells) {
        List<String[]> records = new ArrayList<>();
        long cells = 0;
        try (MappingIterator<String[]> it = open.get()) {
            while (records.size() <= limit && cells <= maxCells && it.hasNextValue()) {
                String[] record = it.nextValue();
                records.add(record);
                cells += record.length;
            }
        } catch (JacksonException e) {
            String reason = e.getOriginalMessage();
            throw new Malformed(
                    records.size() + 1,
                    reason == null
                            ? "it is not well-formed CSV"
                            : reason.lines().findFirst().orElse(reason));
        }
        return records;
    }

    /** Text that is not CSV: an unclosed quote, or a character after a closing quote. */
    public static final class Malformed extends RuntimeException {
        private final int record;

        Malformed(int record, String reason) {
            super("Record " + record + " is not well-formed CSV: " + reason);
            this.record = record;
        }

        /** 1 = the header, 2 = the first row after it. */
        public int record() {
            return record;
        }

        public String reason() {
            return getMessage().substring(getMessage().indexOf(": ") + 2);
        }
    }
}
