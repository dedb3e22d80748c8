package io.github.dl4jserving.datasets.internal;

import io.github.dl4jserving.datasets.DecoderBusyException;
import io.github.dl4jserving.datasets.PixelBudget;
import io.github.dl4jserving.datasets.UnreadableImageException;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStreamImpl;
import org.w3c.dom.Node;

/**
 * Decodes the {@link #FORMATS} with ImageIO, and no other format an ImageIO plug-in on the class
 * path might read. The reader is asked for the declared size first, so a small file that claims
 * 50,000 x 50,000 pixels is refused before any pixel memory is taken, and the request's
 * {@link PixelBudget} is charged before any pixel is decoded.
 *
 * <p>Large images are downscaled while they are read (ImageIO's source subsampling), to about
 * {@value #READ_SIDE} pixels on their longer side: the models need 28x28, and the full-size raster
 * of a 4096x4096 photo is 64 MB of memory for nothing.
 *
 * <p>Where Debian's libjpeg-turbo binding is installed ({@link TurboJpeg}), JPEGs are decoded by it,
 * at the smallest of its DCT scales that leaves {@value #TURBO_SIDE} pixels on the longer side and
 * straight to grey; ImageIO takes the CMYK ones and those it refuses.
 *
 * <p>Otherwise JPEGs are read by TwelveMonkeys' reader, which also takes CMYK and YCCK files, and turned
 * upright by their EXIF orientation: phones store a portrait photo's pixels sideways and say so
 * there. The reader reports the orientation in ImageIO's standard metadata ({@code
 * Dimension/ImageOrientation}); all eight values are applied.
 *
 * <p>A JPEG's markers are counted before it is decoded, and one with more scans than any encoder
 * writes is refused; every decode then has a budget of CPU time ({@link DecodeDeadline}).
 *
 * <p>Each thread keeps one input stream over the bytes being decoded and one reader per format,
 * and reuses them: ImageIO's own {@code MemoryCacheImageInputStream} copies the file into a cache
 * and, like every {@code ImageInputStreamImpl}, carries an 8 KB buffer, and a new reader per file
 * costs as much again (docs/performance.md). After a failed decode both are replaced, so a hostile
 * file cannot leave a reader in a bad state for the next one.
 */
public class ImageDecoder {
    private static final ThreadLocal<Session> SESSION = ThreadLocal.withInitial(Session::new);

    /** The formats read, as ImageIO names them. */
    public static final List<String> FORMATS = List.of("PNG", "JPEG", "GIF", "BMP", "TIFF");
    /** The same, for messages. */
    public static final String FORMAT_NAMES = "PNG, JPEG, GIF, BMP or TIFF";
    /** Images are read subsampled to at least this many pixels on their longer side. */
    static final int READ_SIDE = 1024;
    /**
     * libjpeg-turbo decodes at the smallest scale that keeps this many pixels on the longer side,
     * 95% of the preparation's working size: its scaled decode averages each block, and the
     * preparation averages the rest of the way. A 12 MP photo's eighth (504 pixels) is used as it
     * is, with no averaging after it.
     */
    static final int TURBO_SIDE = DigitImagePreprocessor.WORKING_SIZE * 95 / 100;
    /** ImageIO's names of the EXIF orientations 1 to 8, as {@link #upright} takes them. */
    private static final String[] ORIENTATIONS = {
        "Normal", "FlipH", "Rotate180", "FlipV", "FlipVRotate90", "Rotate270", "FlipHRotate90", "Rotate90"
    };
    /** The most scans a JPEG may have; libjpeg's progressive script writes 10, optimisers a few more. */
    static final int MAX_JPEG_SCANS = 64;
    /** The most marker segments a JPEG may have, so the header walk itself stays short. */
    static final int MAX_JPEG_SEGMENTS = 1024;
    /**
     * CPU time one image may take to decode: a 12-megapixel photo takes about 80 ms, a 4096x4096
     * progressive JPEG about 300 ms.
     */
    static final long DECODE_CPU_NANOS = 1_000_000_000L;
    /**
     * Images that declare more pixels than this are decoded at most one per core at a time, so that a
     * flood of costly images queues among itself while small images and table rows keep the CPU.
     */
    static final long LARGE_IMAGE_PIXELS = 4_000_000L;
    /** How long a large image waits for a decoding turn before the request is refused as busy. */
    static final long LARGE_IMAGE_WAIT_SECONDS = 20;

    private static final Semaphore LARGE_DECODES =
            new Semaphore(Runtime.getRuntime().availableProcessors());

    private final int maxDimension;
    private final long decodeCpuNanos;
    private final boolean turbo;

    public ImageDecoder(int maxDimension) {
        this(maxDimension, DECODE_CPU_NANOS);
    }

    ImageDecoder(int maxDimension, long decodeCpuNanos) {
        this(maxDimension, decodeCpuNanos, TurboJpeg.available());
    }

    /** With {@code turbo} false, JPEGs are read by ImageIO even where libjpeg-turbo is installed. */
    ImageDecoder(int maxDimension, long decodeCpuNanos, boolean turbo) {
        if (turbo && !TurboJpeg.available()) {
            throw new IllegalStateException("libjpeg-turbo is not available: " + TurboJpeg.description());
        }
        this.maxDimension = maxDimension;
        this.decodeCpuNanos = decodeCpuNanos;
        this.turbo = turbo;
    }

    /** Which JPEG decoder is in use: libjpeg-turbo when it is installed, else ImageIO, and why. */
    public static String jpegDecoder() {
        return TurboJpeg.description();
    }

    /**
     * Decodes {@code bytes}, charging their declared pixels to {@code budget} first. JPEGs go to
     * libjpeg-turbo when it is installed, and to ImageIO when it is not or cannot read them (CMYK,
     * damaged files).
     */
    public BufferedImage decode(byte[] bytes, PixelBudget budget) {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableImageException("The image is empty. Send the bytes of a " + FORMAT_NAMES + " file.");
        }
        if (JpegSegments.isJpeg(bytes)) {
            int[] counted = JpegSegments.count(bytes);
            if (counted[1] > MAX_JPEG_SCANS || counted[0] > MAX_JPEG_SEGMENTS) {
                throw new UnreadableImageException("The JPEG has " + counted[1] + " scans in " + counted[0]
                        + " segments; at most " + MAX_JPEG_SCANS + " scans and " + MAX_JPEG_SEGMENTS
                        + " segments are read, as each scan costs a pass over the whole image. "
                        + "Save it again as a baseline JPEG or a PNG.");
            }
        }
        boolean charged = false;
        if (turbo && JpegSegments.isJpeg(bytes)) {
            try {
                TurboJpeg.Header header = TurboJpeg.header(bytes);
                if (!header.cmyk()) {
                    checkSize(header.width(), header.height());
                    budget.charge(header.width(), header.height());
                    charged = true;
                    return withTurboJpeg(bytes, header, budget);
                }
            } catch (TurboJpeg.Failure e) {
                // not for TurboJPEG (damaged, arithmetic-coded, odd): ImageIO reads it or says why
            }
        }
        return withImageIo(bytes, budget, charged);
    }

    /**
     * The width and height {@code bytes} declare in their header, without decoding a pixel; null
     * when no header can be read (the decode then says why).
     */
    public int[] declaredSize(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        if (turbo && JpegSegments.isJpeg(bytes)) {
            try {
                TurboJpeg.Header header = TurboJpeg.header(bytes);
                return new int[] {header.width(), header.height()};
            } catch (TurboJpeg.Failure e) {
                // ImageIO may still read its header
            }
        }
        Session session = SESSION.get();
        BytesImageInputStream in = session.stream;
        ImageReader reader = null;
        try {
            in.reset(bytes);
            reader = session.reader(in);
            if (reader == null) {
                return null;
            }
            reader.setInput(in, true, true);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } catch (IOException | RuntimeException e) {
            session.discard(reader);
            reader = null;
            return null;
        } finally {
            in.release();
            if (reader != null) {
                reader.reset();
            }
        }
    }

    /** Whether the declared size is within the limit. */
    private void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new UnreadableImageException("The image declares no pixels (" + width + "x" + height + ").");
        }
        if (width > maxDimension || height > maxDimension) {
            throw new UnreadableImageException("The image is " + width + "x" + height
                    + " pixels; the largest accepted is " + maxDimension + "x" + maxDimension
                    + " (dl4j-serving.max-image-dimension). Scale it down before sending.");
        }
    }

    /**
     * Decodes a JPEG with libjpeg-turbo, to grey at a reduced scale, and turns it upright by its EXIF
     * orientation; its CPU time is charged to the request's budget.
     */
    private BufferedImage withTurboJpeg(byte[] bytes, TurboJpeg.Header header, PixelBudget budget)
            throws TurboJpeg.Failure {
        boolean large = acquireLarge(header.width(), header.height());
        long start = DecodeDeadline.threadCpuNanos();
        try {
            BufferedImage image = TurboJpeg.decodeGray(header, TURBO_SIDE);
            BufferedImage turned = upright(image, ORIENTATIONS[JpegSegments.exifOrientation(bytes) - 1]);
            return turned == image ? image : TurboJpeg.luma(turned);
        } finally {
            budget.chargeCpu(DecodeDeadline.threadCpuNanos() - start);
            if (large) {
                LARGE_DECODES.release();
            }
        }
    }

    /** Waits for a large image's decoding turn; false for an image that is not large. */
    private static boolean acquireLarge(int width, int height) {
        if ((long) width * height <= LARGE_IMAGE_PIXELS) {
            return false;
        }
        try {
            if (LARGE_DECODES.tryAcquire(LARGE_IMAGE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecoderBusyException("Interrupted while waiting to decode a large image.");
        }
        throw new DecoderBusyException("Every core is decoding a large image and this " + width + "x" + height
                + " one waited " + LARGE_IMAGE_WAIT_SECONDS
                + " s for its turn. Retry shortly, or scale the image down (the models need 28x28).");
    }

    private BufferedImage withImageIo(byte[] bytes, PixelBudget budget, boolean charged) {
        Session session = SESSION.get();
        BytesImageInputStream in = session.stream;
        ImageReader reader = null;
        boolean clean = false;
        boolean large = false;
        DecodeDeadline deadline = null;
        long limit = Math.min(decodeCpuNanos, budget.cpuLeftNanos());
        try {
            in.reset(bytes);
            reader = session.reader(in);
            if (reader == null) {
                clean = true;
                throw new UnreadableImageException(
                        "The data is not an image in a supported format. Send a " + FORMAT_NAMES + " file.");
            }
            // Metadata is read only where an orientation can be found: the JPEG's EXIF segment.
            boolean jpeg = isJpeg(reader);
            reader.setInput(in, true, !jpeg);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkSize(width, height);
            if (!charged) {
                budget.charge(width, height);
            }
            large = acquireLarge(width, height);
            String orientation = jpeg ? orientation(reader) : "Normal";
            deadline = new DecodeDeadline(limit);
            reader.addIIOReadProgressListener(deadline);
            reader.addIIOReadUpdateListener(deadline);
            int step = Math.max(width, height) / READ_SIDE;
            BufferedImage image;
            if (step > 1) {
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                image = reader.read(0, param);
            } else {
                image = reader.read(0);
            }
            if (image == null) {
                throw new UnreadableImageException("The image could not be decoded.");
            }
            image = upright(image, orientation);
            clean = true;
            return image;
        } catch (DecodeDeadline.Exceeded e) {
            throw deadlineExceeded(limit, budget);
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnreadableImageException || e instanceof DecoderBusyException) {
                throw (RuntimeException) e;
            }
            if (e.getCause() instanceof DecodeDeadline.Exceeded) {
                // The PNG reader wraps whatever its listeners throw in an IIOException.
                throw deadlineExceeded(limit, budget);
            }
            throw new UnreadableImageException("The image could not be decoded: it is damaged or truncated. "
                    + "Send a complete " + FORMAT_NAMES + " file.");
        } finally {
            if (deadline != null) {
                budget.chargeCpu(deadline.usedNanos());
            }
            if (large) {
                LARGE_DECODES.release();
            }
            in.release();
            if (reader != null) {
                reader.removeAllIIOReadProgressListeners();
                reader.removeAllIIOReadUpdateListeners();
                reader.reset();
            }
            if (!clean) {
                session.discard(reader);
            }
        }
    }

    private UnreadableImageException deadlineExceeded(long limit, PixelBudget budget) {
        return new UnreadableImageException((limit < decodeCpuNanos
                        ? "The images of this request took more than "
                                + budget.cpuLimit().toMillis() + " ms of CPU to decode in all, and the rest was"
                        : "The image took more than " + decodeCpuNanos / 1_000_000 + " ms of CPU to decode and was")
                + " given up. Send smaller images, fewer per request, or save them again as baseline JPEGs "
                + "or PNGs.");
    }

    private static boolean isJpeg(ImageReader reader) {
        return Providers.JPEG.contains(reader.getOriginatingProvider());
    }

    /** The standard metadata's {@code Dimension/ImageOrientation}, {@code Normal} when there is none. */
    static String orientation(ImageReader reader) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
            return "Normal";
        }
        Node node = metadata.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName)
                .getFirstChild();
        for (; node != null; node = node.getNextSibling()) {
            if (node.getNodeName().equals("Dimension")) {
                for (Node d = node.getFirstChild(); d != null; d = d.getNextSibling()) {
                    if (d.getNodeName().equals("ImageOrientation") && d instanceof IIOMetadataNode n) {
                        return n.getAttribute("value");
                    }
                }
            }
        }
        return "Normal";
    }

    /**
     * {@code image} as it is meant to be seen, given its standard ImageIO orientation: the EXIF
     * values 1 to 8 are Normal, FlipH, Rotate180, FlipV, FlipVRotate90, Rotate270, FlipHRotate90 and
     * Rotate90, rotations counter-clockwise. The transforms map source pixel corners to the upright
     * image's, so nearest-neighbour sampling moves every pixel without blending.
     */
    static BufferedImage upright(BufferedImage image, String orientation) {
        double w = image.getWidth();
        double h = image.getHeight();
        AffineTransform t = switch (orientation) {
            case "FlipH" -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case "Rotate180" -> new AffineTransform(-1, 0, 0, -1, w, h);
            case "FlipV" -> new AffineTransform(1, 0, 0, -1, 0, h);
            case "FlipVRotate90" -> new AffineTransform(0, 1, 1, 0, 0, 0); // EXIF 5: transpose
            case "Rotate270" -> new AffineTransform(0, 1, -1, 0, h, 0); // EXIF 6: 90 degrees clockwise
            case "FlipHRotate90" -> new AffineTransform(0, -1, -1, 0, h, w); // EXIF 7: transverse
            case "Rotate90" -> new AffineTransform(0, -1, 1, 0, 0, w); // EXIF 8: 90 degrees counter-clockwise
            default -> null;
        };
        return t == null
                ? image
                : new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(image, null);
    }

    /** The installed image reader providers, looked up once, at the first decode. */
    private static final class Providers {
        /** Those that read one of the FORMATS, in ImageIO's order. */
        static final List<ImageReaderSpi> ALL = installed().stream()
                .filter(spi ->
                        Arrays.stream(spi.getFormatNames()).anyMatch(f -> FORMATS.contains(f.toUpperCase(Locale.ROOT))))
                .toList();
        /** Those that read JPEG, so a request does not ask each provider for its format names. */
        static final Set<ImageReaderSpi> JPEG = ALL.stream()
                .filter(spi -> Arrays.stream(spi.getFormatNames()).anyMatch("jpeg"::equalsIgnoreCase))
                .collect(Collectors.toUnmodifiableSet());

        private static List<ImageReaderSpi> installed() {
            List<ImageReaderSpi> list = new ArrayList<>();
            Iterator<ImageReaderSpi> it =
                    IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
            it.forEachRemaining(list::add);
            return List.copyOf(list);
        }
    }

    /** One thread's stream and readers. */
    private static final class Session {
        BytesImageInputStream stream = new BytesImageInputStream();
        final Map<ImageReaderSpi, ImageReader> readers = new HashMap<>();

        /** A reader for the stream's format, as ImageIO.getImageReaders would pick it, or null. */
        ImageReader reader(BytesImageInputStream in) throws IOException {
            for (ImageReaderSpi spi : Providers.ALL) {
                if (spi.canDecodeInput(in)) {
                    ImageReader reader = readers.get(spi);
                    if (reader == null) {
                        reader = spi.createReaderInstance();
                        readers.put(spi, reader);
                    }
                    return reader;
                }
            }
            return null;
        }

        void discard(ImageReader reader) {
            stream = new BytesImageInputStream();
            if (reader != null) {
                readers.values().remove(reader);
                reader.dispose();
            }
        }
    }

    /** An ImageIO stream over a byte array that can be pointed at the next array. */
    static final class BytesImageInputStream extends ImageInputStreamImpl {
        private static final byte[] NONE = new byte[0];
        private byte[] data = NONE;

        /**
         * Points the stream at {@code bytes}, from their start and big-endian: the GIF, BMP and TIFF
         * readers switch the byte order, and a PNG read after them with the order left little-endian
         * would be taken for a damaged file.
         */
        void reset(byte[] bytes) {
            data = bytes;
            streamPos = 0;
            flushedPos = 0;
            bitOffset = 0;
            setByteOrder(ByteOrder.BIG_ENDIAN);
        }

        /** Drops the reference to the last file, so it can be collected while the thread idles. */
        void release() {
            data = NONE;
        }

        @Override
        public int read() {
            bitOffset = 0;
            return streamPos < data.length ? data[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            bitOffset = 0;
            if (len == 0) {
                return 0;
            }
            if (streamPos >= data.length) {
                return -1;
            }
            int n = (int) Math.min(len, data.length - streamPos);
            System.arraycopy(data, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return data.length;
        }

        /** Kept open for the next file: readers are told not to close it, this makes sure. */
        @Override
        public void close() {}
    }
}
