package io.github.dl4jserving.datasets.internal;

/**
 * Counts a JPEG's segments and scans by walking its markers, in one linear pass over the bytes and
 * before any decoding. A progressive JPEG's decoder makes a pass over every block of the image for
 * each scan, so a small file that repeats a scan a thousand times costs seconds of CPU; no encoder
 * writes more than a few dozen scans (libjpeg's progressive script has 10).
 */
final class JpegSegments {
    /** Start of image, start of scan and end of image. */
    private static final int SOI = 0xD8;

    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;

    private JpegSegments() {}

    /** Whether {@code bytes} start as a JPEG does. */
    static boolean isJpeg(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == SOI;
    }

    /**
     * {@code [segments, scans]} of a JPEG, counted up to its end-of-image marker or the end of the
     * bytes (a truncated file is counted as far as it goes; the decoder refuses it afterwards).
     */
    static int[] count(byte[] bytes) {
        int segments = 0;
        int scans = 0;
        int i = 2;
        int n = bytes.length;
        while (i + 1 < n) {
            if ((bytes[i] & 0xFF) != 0xFF) {
                break; // not a marker where one must be: damaged, left to the decoder
            }
            int marker = bytes[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            i += 2;
            if (marker == EOI) {
                break;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers carry no length
            }
            if (i + 1 >= n) {
                break;
            }
            segments++;
            int length = (bytes[i] & 0xFF) << 8 | (bytes[i + 1] & 0xFF);
            i += length;
            if (marker == SOS) {
                scans++;
                // the entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart
                while (i + 1 < n) {
                    if ((bytes[i] & 0xFF) == 0xFF) {
                        int next = bytes[i + 1] & 0xFF;
                        if (next != 0 && !(next >= 0xD0 && next <= 0xD7)) {
                            break;
                        }
                    }
                    i++;
                }
            }
        }
        return new int[] {segments, scans};
    }
}
