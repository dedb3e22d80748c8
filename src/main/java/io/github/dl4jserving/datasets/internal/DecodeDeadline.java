package io.github.dl4jserving.datasets.internal;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadUpdateListener;

/**
 * A budget of CPU time for one decode, checked at each progress report and each pass of a
 * progressive image. ImageIO's {@code abort()} is not honoured by the JPEG reader while it decodes
 * scans, but an exception thrown from its listener unwinds the native decode at once, so that is
 * how the budget ends it. CPU time of the decoding thread, not wall time: under load a legitimate
 * image waits for the processor and must not be refused for it.
 */
final class DecodeDeadline implements IIOReadProgressListener, IIOReadUpdateListener {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The CPU time the current thread has used, in nanoseconds. */
    static long threadCpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private final long limitNanos;
    private final long startNanos;

    DecodeDeadline(long limitNanos) {
        this.limitNanos = limitNanos;
        this.startNanos = THREADS.getCurrentThreadCpuTime();
    }

    /** Thrown out of the reader when the budget is spent. */
    static final class Exceeded extends RuntimeException {
        Exceeded() {
            super(null, null, false, false);
        }
    }

    /** The CPU time this thread has spent since the deadline was made. */
    long usedNanos() {
        return THREADS.getCurrentThreadCpuTime() - startNanos;
    }

    private void check() {
        if (usedNanos() > limitNanos) {
            throw new Exceeded();
        }
    }

    @Override
    public void imageProgress(ImageReader source, float percentageDone) {
        check();
    }

    @Override
    public void passStarted(
            ImageReader source,
            BufferedImage theImage,
            int pass,
            int minPass,
            int maxPass,
            int minX,
            int minY,
            int periodX,
            int periodY,
            int[] bands) {
        check();
    }

    @Override
    public void passComplete(ImageReader source, BufferedImage theImage) {
        check();
    }

    @Override
    public void imageStarted(ImageReader source, int imageIndex) {}

    @Override
    public void imageComplete(ImageReader source) {}

    @Override
    public void sequenceStarted(ImageReader source, int minIndex) {}

    @Override
    public void sequenceComplete(ImageReader source) {}

    @Override
    public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

    @Override
    public void thumbnailProgress(ImageReader source, float percentageDone) {}

    @Override
    public void thumbnailComplete(ImageReader source) {}

    @Override
    public void readAborted(ImageReader source) {}

    @Override
    public void imageUpdate(
            ImageReader source,
            BufferedImage theImage,
            int minX,
            int minY,
            int width,
            int height,
            int periodX,
            int periodY,
            int[] bands) {}

    @Override
    public void thumbnailPassStarted(
            ImageReader source,
            BufferedImage theThumbnail,
            int pass,
            int minPass,
            int maxPass,
            int minX,
            int minY,
            int periodX,
            int periodY,
            int[] bands) {}

    @Override
    public void thumbnailUpdate(
            ImageReader source,
            BufferedImage theThumbnail,
            int minX,
            int minY,
            int width,
            int height,
            int periodX,
            int periodY,
            int[] bands) {}

    @Override
    public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {}
}
