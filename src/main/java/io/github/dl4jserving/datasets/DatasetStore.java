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
import org.springframework.util.FileSystemUtils;
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
        TabularSet set = TabularSet.of(table, target, ignored);
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("target", target);
        schema.put("features", set.features());
        schema.put("ignored", ignored);
        List<String> warnings = set.rowKeyWarnings();
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
                set.classCounts(),
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
        return TabularSet.of(
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
                info = UploadedImages.check(id, kind, sha256, bytes, tmp);
            }
            Files.write(tmp.resolve(INFO), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
            Files.move(tmp, root.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            log.info("Stored data set {} ({}, {} rows)", id, kind, info.rows());
            return info;
        } catch (IOException e) {
            StorageException.throwIfStorage("the data set", e, root);
            throw new InvalidDatasetException(UploadedImages.readable(e));
        } finally {
            try {
                FileSystemUtils.deleteRecursively(tmp);
            } catch (IOException e) {
                log.warn("Could not remove {}: {}", tmp, e.toString());
            }
        }
    }

    static String shorten(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
