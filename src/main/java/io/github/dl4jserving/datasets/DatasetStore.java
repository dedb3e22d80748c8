package io.github.dl4jserving.datasets;

import io.github.dl4jserving.platform.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploaded data sets under {@code <models-dir>/.datasets/<id>/}, next to the job records, so one
 * volume holds all of the service's state. Each upload is checked completely in a temporary
 * directory, then renamed into place: a refused upload leaves nothing behind.
 * <ul>
 * <li>{@code tabular-csv}: a CSV with a header and a named target column with exactly two
 * classes; every other column must be numeric.</li>
 * <li>{@code image-idx}: an MNIST-style IDX image file and label file (gzip or not), labels 0-9.</li>
 * <li>{@code image-folder}: a zip of PNG/JPEG/GIF/BMP files in one folder per label
 * ({@code label/file.png}); each image is decoded (its declared size checked first) and prepared
 * as requests are, and stored as 28x28 IDX.</li>
 * </ul>
 */
public class DatasetStore {
    private static final Logger log = LoggerFactory.getLogger(DatasetStore.class);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String INFO = "dataset.json";
    static final String CSV = "data.csv";
    static final String IMAGES = "images.idx";
    static final String LABELS = "labels.idx";
    static final int MAX_ROWS = 1_000_000;
    static final int MAX_COLUMNS = 1_000;

    private final Path root;
    /** The CPU time all the images of one data set zip may take to decode. */
    static final Duration ZIP_DECODE_CPU = Duration.ofMinutes(2);

    private final int maxImageDimension;
    private final long maxDatasetPixels;
    private final long maxUnzippedBytes;

    public DatasetStore(Path modelsDir, int maxImageDimension, long maxDatasetPixels, long maxUnzippedBytes) {
        this.root = modelsDir.toAbsolutePath().normalize().resolve(".datasets");
        this.maxImageDimension = maxImageDimension;
        this.maxDatasetPixels = maxDatasetPixels;
        this.maxUnzippedBytes = maxUnzippedBytes;
    }

    public DatasetInfo uploadCsv(byte[] csv, String target) {
        return uploadCsv(csv, target, List.of());
    }

    /**
     * A CSV table whose {@code target} column holds the classes. Columns named {@code id} (in any
     * case) and those in {@code ignore} are not features, as they are not at {@code /predict}; the
     * answer's schema lists them as {@code ignored}, and warns of a feature that looks like a row key
     * (whole numbers, all different, in row order).
     */
    public DatasetInfo uploadCsv(byte[] csv, String target, List<String> ignore) {
        if (target == null || target.isBlank()) {
            throw new InvalidDatasetException(
                    "Name the column to predict with the 'target' query parameter: the one holding each row's "
                            + "class (two distinct values); every other column is a numeric feature. For example: "
                            + "curl -H 'Content-Type: text/csv' --data-binary @table.csv "
                            + "'localhost:8080/datasets?target=diagnosis'.",
                    null,
                    "target");
        }
        CsvTable table = CsvTable.parse(csv, MAX_ROWS, MAX_COLUMNS);
        for (String name : ignore) {
            table.columnIndex(name); // an unknown name is refused, naming the columns there are
        }
        List<String> ignored = table.header().stream()
                .filter(h -> !h.equals(target) && (h.equalsIgnoreCase("id") || ignore.contains(h)))
                .toList();
        TabularSet set = tabular(table, target, ignored);
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("target", target);
        schema.put("features", set.features());
        schema.put("ignored", ignored);
        List<String> warnings = new ArrayList<>();
        for (int f = 0; f < set.features().size(); f++) {
            if (looksLikeRowKey(set.rows(), f)) {
                warnings.add("Column '" + set.features().get(f) + "' holds different whole numbers in rising "
                        + "order, as a row key does; if it is one, upload again with ignore="
                        + set.features().get(f) + ", or the model will learn from it and ask for it.");
            }
        }
        if (!warnings.isEmpty()) {
            schema.put("warnings", warnings);
        }
        return write(
                DatasetInfo.TABULAR_CSV,
                DataDirectory.sha256(csv),
                csv.length,
                set.rows().length,
                schema,
                set.labels(),
                counts(set.classes(), set.labels()),
                dir -> Files.write(dir.resolve(CSV), csv));
    }

    public DatasetInfo uploadIdx(byte[] images, byte[] labels) {
        return write(
                DatasetInfo.IMAGE_IDX,
                DataDirectory.sha256(images, labels),
                images.length + (long) labels.length,
                -1,
                null,
                null,
                null,
                dir -> {
                    Files.write(dir.resolve(IMAGES), images);
                    Files.write(dir.resolve(LABELS), labels);
                });
    }

    public DatasetInfo uploadZip(byte[] zip) {
        return write(
                DatasetInfo.IMAGE_FOLDER,
                DataDirectory.sha256(zip),
                zip.length,
                -1,
                null,
                null,
                null,
                dir -> ImageFolderZip.unpack(
                        zip,
                        dir,
                        maxImageDimension,
                        new PixelBudget(maxDatasetPixels, "dl4j-serving.max-dataset-pixels", ZIP_DECODE_CPU),
                        maxUnzippedBytes));
    }

    /** Every readable uploaded data set, newest first. */
    public List<DatasetInfo> list() {
        List<DatasetInfo> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (name.startsWith(".tmp-")) {
                    continue;
                }
                try {
                    out.add(JSON.readValue(d.resolve(INFO).toFile(), DatasetInfo.class));
                } catch (RuntimeException e) {
                    log.warn("Skipping unreadable data set {}: {}", d, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(DatasetInfo::createdAt).reversed());
        return out;
    }

    public DatasetInfo get(String id) {
        Path dir = dir(id);
        if (!Files.isRegularFile(dir.resolve(INFO))) {
            throw new DatasetNotFoundException("There is no uploaded data set '" + shorten(id) + "'.");
        }
        return JSON.readValue(dir.resolve(INFO).toFile(), DatasetInfo.class);
    }

    /** The table of an uploaded {@code tabular-csv} data set. */
    public TabularSet tabular(String id) throws IOException {
        DatasetInfo info = require(id, DatasetInfo.TABULAR_CSV);
        CsvTable table = CsvTable.parse(Files.readAllBytes(dir(id).resolve(CSV)), MAX_ROWS, MAX_COLUMNS);
        Object ignored = info.schema().get("ignored");
        return tabular(
                table,
                (String) info.schema().get("target"),
                ignored instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of());
    }

    /** The images of an uploaded {@code image-idx} or {@code image-folder} data set. */
    public ImageSet images(String id) throws IOException {
        DatasetInfo info = get(id);
        if (info.kind().equals(DatasetInfo.TABULAR_CSV)) {
            throw new InvalidDatasetException("Data set " + id + " is a table, not images.");
        }
        MnistIdxReader.IdxImages images = MnistIdxReader.readImages(dir(id).resolve(IMAGES));
        int[] labels = MnistIdxReader.readLabels(dir(id).resolve(LABELS));
        return new ImageSet(images, labels, info.labels(), info.kind().equals(DatasetInfo.IMAGE_FOLDER));
    }

    private DatasetInfo require(String id, String kind) {
        DatasetInfo info = get(id);
        if (!info.kind().equals(kind)) {
            throw new InvalidDatasetException("Data set " + id + " is " + info.kind() + ", not " + kind + ".");
        }
        return info;
    }

    private Path dir(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new DatasetNotFoundException("There is no uploaded data set '" + shorten(id) + "'.");
        }
        Path dir = root.resolve(id).normalize();
        if (!dir.getParent().equals(root)) {
            throw new DatasetNotFoundException("There is no uploaded data set '" + shorten(id) + "'.");
        }
        return dir;
    }

    private static TabularSet tabular(CsvTable table, String target, List<String> ignored) {
        List<String> classes = table.column(target);
        List<String> features = table.header().stream()
                .filter(h -> !h.equals(target) && !ignored.contains(h))
                .toList();
        if (features.isEmpty()) {
            throw new InvalidDatasetException("The table has no feature columns besides '" + target + "'.", 0, null);
        }
        List<String> labels =
                classes.stream().distinct().sorted(DatasetStore::compareLabels).toList();
        if (labels.size() != 2) {
            throw new InvalidDatasetException(
                    "A logistic classifier needs exactly two classes in '" + target + "'; found " + labels.size()
                            + (labels.size() <= 10 ? " " + labels : "") + ".",
                    null,
                    target);
        }
        double[][] rows = new double[table.rowCount()][features.size()];
        for (int f = 0; f < features.size(); f++) {
            double[] column = table.numericColumn(features.get(f));
            for (int r = 0; r < rows.length; r++) {
                rows[r][f] = column[r];
            }
        }
        int[] cls = classes.stream().mapToInt(labels::indexOf).toArray();
        return new TabularSet(features, rows, cls, labels);
    }

    /** Whether column {@code f} holds whole numbers, all different and rising: a row key's look. */
    private static boolean looksLikeRowKey(double[][] rows, int f) {
        if (rows.length < 3) {
            return false;
        }
        for (int r = 0; r < rows.length; r++) {
            double v = rows[r][f];
            if (v != Math.rint(v) || (r > 0 && v <= rows[r - 1][f])) {
                return false;
            }
        }
        return true;
    }

    /** Numbers in numeric order ("2" before "10"), anything else alphabetically. */
    static int compareLabels(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static Map<String, Integer> counts(int[] classes, List<String> labels) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        labels.forEach(l -> counts.put(l, 0));
        for (int c : classes) {
            counts.merge(labels.get(c), 1, Integer::sum);
        }
        return counts;
    }

    private interface Writer {
        void write(Path dir) throws IOException;
    }

    /**
     * Writes the files into a temporary directory, checks image data sets by reading them back, and
     * renames the directory into place with its {@code dataset.json}.
     */
    private DatasetInfo write(
            String kind,
            String sha256,
            long bytes,
            int rows,
            Map<String, Object> schema,
            List<String> labels,
            Map<String, Integer> classCounts,
            Writer files) {
        String id = UUID.randomUUID().toString();
        Path tmp = root.resolve(".tmp-" + id);
        try {
            Files.createDirectories(tmp);
            files.write(tmp);
            DatasetInfo info;
            if (kind.equals(DatasetInfo.TABULAR_CSV)) {
                info = new DatasetInfo(id, kind, Instant.now(), sha256, bytes, rows, schema, labels, classCounts);
            } else {
                info = checkImages(id, kind, sha256, bytes, tmp);
            }
            Files.write(tmp.resolve(INFO), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
            Files.move(tmp, root.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            log.info("Stored data set {} ({}, {} rows)", id, kind, info.rows());
            return info;
        } catch (IOException e) {
            StorageException.throwIfStorage("the data set", e, root);
            throw new InvalidDatasetException(readable(e));
        } finally {
            deleteTree(tmp);
        }
    }

    private DatasetInfo checkImages(String id, String kind, String sha256, long bytes, Path dir) throws IOException {
        MnistIdxReader.IdxImages images = MnistIdxReader.readImages(dir.resolve(IMAGES));
        int[] classes = MnistIdxReader.readLabels(dir.resolve(LABELS));
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
            labels = JSON.readValue(
                    dir.resolve("labels.json").toFile(),
                    JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("width", images.cols());
        schema.put("height", images.rows());
        schema.put("prepared", kind.equals(DatasetInfo.IMAGE_FOLDER));
        return new DatasetInfo(
                id, kind, Instant.now(), sha256, bytes, images.count(), schema, labels, counts(classes, labels));
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
        if (e instanceof java.io.EOFException || (m != null && m.contains("Unexpected end"))) {
            return "The upload ends early: the file is truncated. Send the whole file.";
        }
        if (e instanceof java.util.zip.ZipException) {
            return "The upload is not a readable zip or gzip file: it is damaged, or uses encryption or a "
                    + "compression method other than deflate, which are not supported.";
        }
        return "The upload could not be read: it is damaged or not in the format its Content-Type says.";
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", dir, e.toString());
        }
    }

    static String shorten(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
