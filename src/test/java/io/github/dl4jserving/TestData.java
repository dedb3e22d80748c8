package io.github.dl4jserving;

import io.github.dl4jserving.datasets.DataDirectory;
import io.github.dl4jserving.datasets.DatasetFile;
import io.github.dl4jserving.datasets.MnistIdxReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared data directory and the MNIST test split (read once per test JVM), and files the tests
 * build from them or copy.
 */
public final class TestData {
    /**
     * The python3 that has Debian's python3-grpcio and python3-grpc-tools: Debian's own interpreter,
     * which may not be the first python3 on PATH, or else that one. Where .ci/run has set
     * DL4J_SERVING_REQUIRE_CLIENTS a missing one fails the test; elsewhere it skips it.
     */
    public static String pythonWithGrpc() throws IOException, InterruptedException {
        String found = null;
        for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
            if (candidate.startsWith("/") && !Files.isExecutable(Path.of(candidate))) {
                continue;
            }
            Process probe = new ProcessBuilder(candidate, "-c", "import grpc, grpc_tools").start();
            if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                found = candidate;
                break;
            }
        }
        String missing = "python3 with grpcio and grpc_tools is not installed "
                + "(apt-get install python3-grpcio python3-grpc-tools)";
        if (System.getenv("DL4J_SERVING_REQUIRE_CLIENTS") != null) {
            Assertions.assertThat(found).as(missing + "; .ci/run requires it").isNotNull();
        }
        Assumptions.assumeTrue(found != null, missing);
        return found;
    }

    public static final Path DATA_DIR = Path.of("..", "shared", "data");
    public static final Path MODELS_DIR = Path.of("models");
    private static MnistIdxReader.IdxImages testImages;
    private static int[] testLabels;

    private TestData() {}

    public static DataDirectory dataDirectory() {
        return new DataDirectory(DATA_DIR);
    }

    public static synchronized MnistIdxReader.IdxImages mnistTestImages() {
        load();
        return testImages;
    }

    public static synchronized int[] mnistTestLabels() {
        load();
        return testLabels;
    }

    private static void load() {
        if (testImages != null) {
            return;
        }
        try {
            DataDirectory data = dataDirectory();
            testImages = MnistIdxReader.readImages(data.resolve(DatasetFile.MNIST_TEST_IMAGES));
            testLabels = MnistIdxReader.readLabels(data.resolve(DatasetFile.MNIST_TEST_LABELS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a directory tree, replacing files that exist (so layers can be copied over each other). */
    public static void copyTree(Path source, Path destination) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = destination.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** An 8x8 PNG whose IHDR chunk claims 50,000 x 50,000 pixels, with a valid CRC: a decompression bomb. */
    public static byte[] decompressionBombPng() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", out);
        byte[] png = out.toByteArray();
        ByteBuffer buf = ByteBuffer.wrap(png);
        buf.putInt(16, 50_000);
        buf.putInt(20, 50_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        buf.putInt(29, (int) crc.getValue());
        return png;
    }

    /**
     * A progressive-JPEG scan bomb: a {@code side} x {@code side} progressive JPEG of a bar on black
     * whose last start-of-scan segment, with its entropy-coded data, is repeated until the file has
     * {@code scans} scans. Each repeated scan is cheap to send and costs the decoder a pass over the
     * whole image.
     */
    public static byte[] progressiveScanBomb(int side, int scans) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = image.createGraphics();
        g.fillRect(side / 2 - side / 40, side / 4, side / 20, side / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageWriter writer =
                ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        int lastScan = -1;
        int found = 0;
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                lastScan = i;
                found++;
            }
        }
        int end = jpeg.length - 2; // the EOI marker
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(jpeg, 0, end);
        for (int i = found; i < scans; i++) {
            bomb.write(jpeg, lastScan, end - lastScan);
        }
        bomb.write(jpeg, end, 2);
        return bomb.toByteArray();
    }

    /**
     * The breast-cancer table as a CSV with a header: the nine features (short names), then
     * {@code target} holding benign or malignant; the 16 rows with missing values are left out.
     */
    public static String breastCancerCsv(String target) throws IOException {
        StringBuilder csv = new StringBuilder(
                "clump,size,shape,adhesion,epithelial,nuclei,chromatin,nucleoli,mitoses," + target + "\n");
        for (String line :
                Files.readAllLines(DATA_DIR.resolve("breast-cancer-wisconsin/breast-cancer-wisconsin.data"))) {
            if (line.isBlank() || line.contains("?")) {
                continue;
            }
            String[] c = line.split(",");
            csv.append(String.join(",", List.of(c).subList(1, 10)))
                    .append(',')
                    .append(c[10].equals("4") ? "malignant" : "benign")
                    .append('\n');
        }
        return csv.toString();
    }

    /** MNIST test image {@code index} as a 112x112 photo: dark ink on white paper, 4 pixels per MNIST pixel. */
    public static BufferedImage paperPhoto(int index) {
        byte[] px = mnistTestImages().pixels()[index];
        BufferedImage img = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                int v = 255 - (px[y / 4 * 28 + x / 4] & 0xFF);
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return img;
    }

    /** {@code image} as a JPEG file, ImageIO's default quality. */
    public static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /**
     * {@code jpeg} with its JFIF segment replaced by an EXIF one holding only an Orientation tag
     * (1-8), as a phone writes it: a big-endian TIFF header and one IFD entry (tag 0x0112, SHORT).
     */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        int rest = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            rest = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        }
        byte[] exif = {
            'E',
            'x',
            'i',
            'f',
            0,
            0,
            'M',
            'M',
            0,
            42,
            0,
            0,
            0,
            8,
            0,
            1,
            0x01,
            0x12,
            0,
            3,
            0,
            0,
            0,
            1,
            0,
            (byte) orientation,
            0,
            0,
            0,
            0,
            0,
            0
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        out.write((exif.length + 2) >> 8);
        out.write((exif.length + 2) & 0xFF);
        out.writeBytes(exif);
        out.write(jpeg, rest, jpeg.length - rest);
        return out.toByteArray();
    }

    /**
     * The pixels a camera stores for the upright image {@code upright} when it writes EXIF
     * {@code orientation}, from the tag's definition of where stored row 0 and column 0 belong
     * (1: top, left; 2: top, right; 3: bottom, right; 4: bottom, left; 5: left, top; 6: right, top;
     * 7: right, bottom; 8: left, bottom).
     */
    public static BufferedImage storedSideways(BufferedImage upright, int orientation) {
        int w = upright.getWidth();
        int h = upright.getHeight();
        boolean swapped = orientation >= 5;
        BufferedImage stored = new BufferedImage(swapped ? h : w, swapped ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int sy = 0; sy < stored.getHeight(); sy++) {
            for (int sx = 0; sx < stored.getWidth(); sx++) {
                int[] u = switch (orientation) {
                    case 1 -> new int[] {sx, sy};
                    case 2 -> new int[] {w - 1 - sx, sy};
                    case 3 -> new int[] {w - 1 - sx, h - 1 - sy};
                    case 4 -> new int[] {sx, h - 1 - sy};
                    case 5 -> new int[] {sy, sx};
                    case 6 -> new int[] {w - 1 - sy, sx};
                    case 7 -> new int[] {w - 1 - sy, h - 1 - sx};
                    case 8 -> new int[] {sy, h - 1 - sx};
                    default -> throw new IllegalArgumentException("EXIF orientation " + orientation);
                };
                stored.setRGB(sx, sy, upright.getRGB(u[0], u[1]));
            }
        }
        return stored;
    }

    /** A zip holding {@code entries} (name to bytes) in their order. */
    public static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The entries of a zip file, name to bytes, in their order. */
    public static Map<String, byte[]> unzip(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        return entries;
    }

    /**
     * A normalizer.bin header in NormalizerSerializer's format, of type CUSTOM naming {@code strategyClass}:
     * DL4J would load and instantiate that class.
     */
    public static byte[] customNormalizerHeader(String strategyClass) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF("NORMALIZER");
        out.writeInt(1);
        out.writeUTF("CUSTOM");
        out.writeUTF(strategyClass);
        return bytes.toByteArray();
    }
}
