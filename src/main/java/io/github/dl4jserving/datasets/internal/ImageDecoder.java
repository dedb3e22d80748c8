package io.github.dl4jserving.datasets.internal;

import io.github.dl4jserving.datasets.DecoderBusyException;
import io.github.dl4jserving.datasets.PixelBudget;
import io.github.dl4jserving.datasets.UnreadableImageException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;

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
 * <p>Each thread keeps one input stream over the bytes being decoded and one reader per format
 * ({@link ImageIoSession}, docs/performance.md). After a failed decode both are replaced, so a
 * hostile file cannot leave a reader in a bad state for the next one.
 */
public class ImageDecoder {
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
        return ImageIoSession.current().declaredSize(bytes);
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
            BufferedImage turned = Orientation.upright(image, Orientation.exif(JpegSegments.exifOrientation(bytes)));
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
        ImageIoSession session = ImageIoSession.current();
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
            boolean jpeg = ImageIoSession.isJpeg(reader);
            reader.setInput(in, true, !jpeg);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkSize(width, height);
            if (!charged) {
                budget.charge(width, height);
            }
            large = acquireLarge(width, height);
            String orientation = jpeg ? Orientation.of(reader) : "Normal";
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
            image = Orientation.upright(image, orientation);
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
}
