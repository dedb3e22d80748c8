package io.github.dl4jserving.datasets.internal;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libjpeg-turbo's TurboJPEG decoder, through the Java binding Debian ships ({@code libturbojpeg-java}:
 * {@code /usr/share/java/turbojpeg.jar}, its JNI functions in {@code libturbojpeg0}). It decodes a
 * JPEG at a reduced scale inside its inverse DCT (1/8 keeps only each block's average) and straight
 * to grey levels (the luma channel, without colour conversion), which is most of the work skipped for
 * a photo that ends as 28x28.
 *
 * <p>The binding is not on Maven Central, so it is loaded at run time from the installed jar, in a
 * class loader of its own that finds the library by its full path; when either file is missing the
 * service decodes with ImageIO, and {@link #description()} says which decoder is in use. The paths
 * can be set with the system properties {@code dl4j-serving.turbojpeg.jar} and
 * {@code dl4j-serving.turbojpeg.library}.
 */
final class TurboJpeg {
    private static final Logger log = LoggerFactory.getLogger(TurboJpeg.class);

    static final Path JAR = Path.of(System.getProperty("dl4j-serving.turbojpeg.jar", "/usr/share/java/turbojpeg.jar"));
    static final Path LIBRARY = Path.of(
            System.getProperty("dl4j-serving.turbojpeg.library", "/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0"));
    /** TurboJPEG's constants: grey pixels, and the colour spaces of JPEGs it does not turn into grey here. */
    private static final int PF_GRAY = 6;

    private static final int CS_CMYK = 3;
    private static final int CS_YCCK = 4;
    /** Stop at a warning (a damaged file goes to ImageIO, which explains it) and at 500 scans. */
    private static final int FLAGS = 8192 | 32768;
    /** Marks a decoded image whose grey levels are sRGB luma, to be read as they are, not as linear grey. */
    static final String LUMA = "dl4j-serving.luma";

    private static final BufferedImage GRAY = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    private static final Binding BINDING = Binding.load();
    private static final ThreadLocal<Object> DECOMPRESSOR = new ThreadLocal<>();

    private TurboJpeg() {}

    static boolean available() {
        return BINDING.decompressor != null;
    }

    /** Which JPEG decoder is in use, and why when it is not libjpeg-turbo. */
    static String description() {
        return BINDING.description;
    }

    /** A JPEG's size and colour space, from its header. */
    record Header(int width, int height, boolean cmyk) {}

    /** Reads the header of {@code jpeg} into this thread's decompressor. */
    static Header header(byte[] jpeg) throws Failure {
        Object d = decompressor();
        call(BINDING.setSourceImage, d, jpeg, jpeg.length);
        int cs = (int) call(BINDING.getColorspace, d);
        return new Header(
                (int) call(BINDING.getWidth, d), (int) call(BINDING.getHeight, d), cs == CS_CMYK || cs == CS_YCCK);
    }

    /**
     * The JPEG whose header was just read, decoded to grey at the smallest of TurboJPEG's scales
     * (n/8) that keeps its longer side at least {@code minSide} pixels (or at full size).
     */
    static BufferedImage decodeGray(Header header, int minSide) throws Failure {
        Object d = decompressor();
        int longSide = Math.max(header.width(), header.height());
        int[] scale = {1, 1};
        for (int[] f : BINDING.scales) {
            long scaled = ((long) longSide * f[0] + f[1] - 1) / f[1];
            if (scaled >= Math.min(minSide, longSide) && f[0] * scale[1] < scale[0] * f[1]) {
                scale = f;
            }
        }
        int w = (int) (((long) header.width() * scale[0] + scale[1] - 1) / scale[1]);
        int h = (int) (((long) header.height() * scale[0] + scale[1] - 1) / scale[1]);
        byte[] pixels = new byte[w * h];
        call(BINDING.decompress, d, pixels, 0, 0, w, w, h, PF_GRAY, FLAGS);
        return luma(Raster.createInterleavedRaster(
                new DataBufferByte(pixels, pixels.length), w, h, w, 1, new int[] {0}, null));
    }

    /** {@code gray}'s pixels, marked as luma (a turned copy of a decoded image loses the mark). */
    static BufferedImage luma(BufferedImage gray) {
        return luma(gray.getRaster());
    }

    private static BufferedImage luma(WritableRaster raster) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(LUMA, Boolean.TRUE);
        return new BufferedImage(GRAY.getColorModel(), raster, false, properties);
    }

    private static Object decompressor() throws Failure {
        Object d = DECOMPRESSOR.get();
        if (d == null) {
            try {
                d = BINDING.decompressor.newInstance();
            } catch (ReflectiveOperationException e) {
                throw new Failure(e);
            }
            DECOMPRESSOR.set(d);
        }
        return d;
    }

    private static Object call(Method m, Object target, Object... args) throws Failure {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            // A failed decompressor may hold a half-read file: the thread gets a new one.
            DECOMPRESSOR.remove();
            throw new Failure(e.getCause());
        } catch (IllegalAccessException e) {
            throw new Failure(e);
        }
    }

    /** TurboJPEG could not read the file; ImageIO is asked next. */
    static final class Failure extends Exception {
        Failure(Throwable cause) {
            super(cause);
        }
    }

    /** The binding's classes and methods, or why there are none. */
    private record Binding(
            String description,
            Constructor<?> decompressor,
            Method setSourceImage,
            Method getWidth,
            Method getHeight,
            Method getColorspace,
            Method decompress,
            int[][] scales) {

        static Binding load() {
            if (!Files.isRegularFile(JAR) || !Files.isRegularFile(LIBRARY)) {
                String missing = "ImageIO (TwelveMonkeys); libjpeg-turbo's Java binding is not installed ("
                        + (Files.isRegularFile(JAR) ? LIBRARY : JAR) + " is missing: apt-get install "
                        + "libturbojpeg-java)";
                log.info("JPEG decoder: {}", missing);
                return new Binding(missing, null, null, null, null, null, null, null);
            }
            try {
                ClassLoader loader = new LibraryLoader(JAR.toUri().toURL(), LIBRARY);
                Class<?> d = Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader);
                Class<?> tj = Class.forName("org.libjpegturbo.turbojpeg.TJ", true, loader);
                Object[] factors = (Object[]) tj.getMethod("getScalingFactors").invoke(null);
                int[][] scales = new int[factors.length][];
                for (int i = 0; i < factors.length; i++) {
                    Class<?> f = factors[i].getClass();
                    scales[i] = new int[] {
                        (int) f.getMethod("getNum").invoke(factors[i]),
                        (int) f.getMethod("getDenom").invoke(factors[i])
                    };
                }
                Binding b = new Binding(
                        "libjpeg-turbo (" + JAR + ", " + LIBRARY + "), at reduced DCT scale",
                        d.getConstructor(),
                        d.getMethod("setSourceImage", byte[].class, int.class),
                        d.getMethod("getWidth"),
                        d.getMethod("getHeight"),
                        d.getMethod("getColorspace"),
                        d.getMethod(
                                "decompress",
                                byte[].class,
                                int.class,
                                int.class,
                                int.class,
                                int.class,
                                int.class,
                                int.class,
                                int.class),
                        scales);
                b.decompressor.newInstance(); // loads the library now, not in the first request
                log.info("JPEG decoder: {}", b.description);
                return b;
            } catch (ReflectiveOperationException | LinkageError | java.io.IOException e) {
                String failed = "ImageIO (TwelveMonkeys); libjpeg-turbo's Java binding could not be loaded: " + e;
                log.warn("JPEG decoder: {}", failed);
                return new Binding(failed, null, null, null, null, null, null, null);
            }
        }
    }

    /** Loads the binding's classes, and gives its {@code System.loadLibrary("turbojpeg")} the library's path. */
    private static final class LibraryLoader extends URLClassLoader {
        private final Path library;

        LibraryLoader(URL jar, Path library) {
            super(new URL[] {jar}, TurboJpeg.class.getClassLoader());
            this.library = library;
        }

        @Override
        protected String findLibrary(String name) {
            return name.equals("turbojpeg") ? library.toString() : super.findLibrary(name);
        }
    }
}
