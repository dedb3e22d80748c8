package io.github.dl4jserving.datasets;

import io.github.dl4jserving.datasets.internal.DigitImagePreprocessor;
import io.github.dl4jserving.datasets.internal.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/** An {@code image-folder} upload: a zip of images in one folder per label, made into IDX files. */
final class ImageFolderZip {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}");
    static final int MAX_ENTRIES = 100_000;
    /**
     * The most an entry that is skipped (macOS metadata, hidden files) may unpack to. A zip stream
     * can only pass an entry by inflating it, so skipped entries are inflated too, counted against
     * the unpack limit, and refused past this size: a 2 MB {@code __MACOSX/} entry that inflated to
     * 2 GB cost 4.4 s of CPU before.
     */
    static final int MAX_SKIPPED_ENTRY_BYTES = 16 << 20;

    private ImageFolderZip() {}

    /**
     * Reads every image of {@code zip}, prepares it as a request would be, and writes them as 28x28
     * IDX files with {@code labels.json} into {@code dir}. Refuses entries that escape their folder,
     * more than {@link #MAX_ENTRIES} entries, more than {@code maxUnzippedBytes} unpacked, images over
     * {@code maxImageDimension} on a side, and images that declare more pixels in all than {@code budget}.
     */
    static void unpack(byte[] zip, Path dir, int maxImageDimension, PixelBudget budget, long maxUnzippedBytes)
            throws IOException {
        ImageDecoder decoder = new ImageDecoder(maxImageDimension);
        DigitImagePreprocessor preprocessor = new DigitImagePreprocessor();
        TreeMap<String, List<byte[]>> byLabel = new TreeMap<>(TabularSet::compareLabels);
        long unzipped = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (++entries > MAX_ENTRIES) {
                    throw new InvalidDatasetException("The zip has more than " + MAX_ENTRIES + " entries.");
                }
                String name = e.getName();
                String[] parts = checkedPath(name);
                if (e.isDirectory() || parts == null) {
                    long skipped = skip(in, Math.min(MAX_SKIPPED_ENTRY_BYTES, maxUnzippedBytes - unzipped) + 1);
                    unzipped += skipped;
                    if (skipped > MAX_SKIPPED_ENTRY_BYTES || unzipped > maxUnzippedBytes) {
                        throw new InvalidDatasetException("Zip entry '" + DatasetStore.shorten(name)
                                + "', which is skipped (a folder, hidden file or macOS metadata), unpacks to more than "
                                + Math.min(MAX_SKIPPED_ENTRY_BYTES, maxUnzippedBytes)
                                + " bytes. Remove it from the zip.");
                    }
                    continue;
                }
                byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUnzippedBytes - unzipped + 1));
                unzipped += data.length;
                if (unzipped > maxUnzippedBytes) {
                    throw new InvalidDatasetException("The zip unpacks to more than " + maxUnzippedBytes + " bytes.");
                }
                byte[] pixels;
                try {
                    BufferedImage image = decoder.decode(data, budget);
                    pixels = toBytes(preprocessor.prepare(image).pixels());
                } catch (PixelBudgetExceededException ex) {
                    throw new InvalidDatasetException(
                            "Zip entry '" + DatasetStore.shorten(name) + "': the zip's images "
                                    + "declare more than " + budget.limit()
                                    + " pixels in all (dl4j-serving.max-dataset-pixels). "
                                    + "Scale them down (the models use 28x28) or upload fewer.");
                } catch (UnreadableImageException | NoDigitFoundException ex) {
                    throw new InvalidDatasetException(
                            "Zip entry '" + DatasetStore.shorten(name) + "': " + ex.getMessage());
                }
                byLabel.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(pixels);
            }
        } catch (ZipException e) {
            throw new InvalidDatasetException(UploadedImages.readable(e));
        }
        if (byLabel.size() < 2) {
            throw new InvalidDatasetException("The zip needs image files in at least two label folders "
                    + "(label/file.png); found " + byLabel.keySet() + ".");
        }
        List<String> labels = new ArrayList<>(byLabel.keySet());
        List<byte[]> all = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            for (byte[] img : byLabel.get(labels.get(c))) {
                all.add(img);
                classes.add(c);
            }
        }
        writeIdx(dir, all, classes);
        Files.write(dir.resolve("labels.json"), DatasetStore.JSON.writeValueAsBytes(labels));
    }

    /** Reads the current entry up to {@code most} bytes without keeping them; returns how many there were. */
    private static long skip(ZipInputStream in, long most) throws IOException {
        byte[] scratch = new byte[8192];
        long n = 0;
        for (int r; n < most && (r = in.read(scratch, 0, (int) Math.min(scratch.length, most - n))) > 0; ) {
            n += r;
        }
        return n;
    }

    /** {@code [label, file]} for an image entry, null for entries to skip; refuses paths that escape. */
    private static String[] checkedPath(String name) {
        if (name.startsWith("/") || name.contains("\\") || name.contains(":") || name.contains("\0")) {
            throw new InvalidDatasetException(
                    "Zip entry '" + DatasetStore.shorten(name) + "' has an absolute or foreign path.");
        }
        String[] parts = name.split("/");
        for (String p : parts) {
            if (p.equals("..") || p.equals(".")) {
                throw new InvalidDatasetException("Zip entry '" + DatasetStore.shorten(name) + "' escapes its folder.");
            }
        }
        if (name.startsWith("__MACOSX/") || parts[parts.length - 1].startsWith(".") || name.endsWith("/")) {
            return null;
        }
        if (parts.length != 2) {
            throw new InvalidDatasetException("Zip entry '" + DatasetStore.shorten(name)
                    + "' is not in a label folder: entries " + "must be label/file.png, one folder per label.");
        }
        if (!LABEL.matcher(parts[0]).matches()) {
            throw new InvalidDatasetException("Folder '" + DatasetStore.shorten(parts[0])
                    + "' is not a usable label: use up to 64 " + "letters, digits, spaces, '.', '_' or '-'.");
        }
        return parts;
    }

    private static byte[] toBytes(float[] pixels) {
        byte[] out = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = (byte) Math.round(Math.max(0, Math.min(1, pixels[i])) * 255);
        }
        return out;
    }

    private static void writeIdx(Path dir, List<byte[]> images, List<Integer> classes) throws IOException {
        try (OutputStream file = Files.newOutputStream(dir.resolve(DatasetStore.IMAGES));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
            out.writeInt(MnistIdxReader.IMAGE_MAGIC);
            out.writeInt(images.size());
            out.writeInt(DigitImagePreprocessor.SIZE);
            out.writeInt(DigitImagePreprocessor.SIZE);
            for (byte[] img : images) {
                out.write(img);
            }
        }
        try (OutputStream file = Files.newOutputStream(dir.resolve(DatasetStore.LABELS));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
            out.writeInt(MnistIdxReader.LABEL_MAGIC);
            out.writeInt(classes.size());
            for (int c : classes) {
                out.writeByte(c);
            }
        }
    }
}
