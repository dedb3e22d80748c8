package io.github.dl4jserving.datasets.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * One thread's ImageIO stream and readers, reused from one image to the next: ImageIO's own {@code
 * MemoryCacheImageInputStream} copies the file into a cache and carries an 8 KB buffer, and a new
 * reader per file costs as much again. After a failed decode both are replaced ({@link #discard}).
 */
final class ImageIoSession {
    private static final ThreadLocal<ImageIoSession> CURRENT = ThreadLocal.withInitial(ImageIoSession::new);

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

    /** The width and height the header of {@code bytes} declares, as ImageIO reads it; null if it cannot. */
    int[] declaredSize(byte[] bytes) {
        BytesImageInputStream in = stream;
        ImageReader reader = null;
        try {
            in.reset(bytes);
            reader = reader(in);
            if (reader == null) {
                return null;
            }
            reader.setInput(in, true, true);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } catch (IOException | RuntimeException e) {
            discard(reader);
            reader = null;
            return null;
        } finally {
            in.release();
            if (reader != null) {
                reader.reset();
            }
        }
    }

    /** This thread's session. */
    static ImageIoSession current() {
        return CURRENT.get();
    }

    static boolean isJpeg(ImageReader reader) {
        return Providers.JPEG.contains(reader.getOriginatingProvider());
    }

    /** The installed image reader providers, looked up once, at the first decode. */
    private static final class Providers {
        /** Those that read one of the FORMATS, in ImageIO's order. */
        static final List<ImageReaderSpi> ALL = installed().stream()
                .filter(spi -> Arrays.stream(spi.getFormatNames())
                        .anyMatch(f -> ImageDecoder.FORMATS.contains(f.toUpperCase(Locale.ROOT))))
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
}
