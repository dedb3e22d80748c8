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

    /**
     * The EXIF orientation (1-8) in the JPEG's first EXIF segment, 1 when there is none or it is
     * damaged: the TIFF header's byte order, IFD0's entries, tag 0x0112 (SHORT). Every offset is
     * checked against the segment, so a hostile segment cannot send the walk outside it.
     */
    static int exifOrientation(byte[] bytes) {
        int i = 2;
        int n = bytes.length;
        while (i + 3 < n && (bytes[i] & 0xFF) == 0xFF) {
            int marker = bytes[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == SOS || marker == EOI) {
                return 1;
            }
            int length = (bytes[i + 2] & 0xFF) << 8 | (bytes[i + 3] & 0xFF);
            int start = i + 4;
            int end = Math.min(n, i + 2 + length);
            if (marker == 0xE1 && end - start >= 14 && startsWithExif(bytes, start)) {
                return orientation(bytes, start + 6, end);
            }
            i += 2 + length;
        }
        return 1;
    }

    private static boolean startsWithExif(byte[] b, int at) {
        return b[at] == 'E'
                && b[at + 1] == 'x'
                && b[at + 2] == 'i'
                && b[at + 3] == 'f'
                && b[at + 4] == 0
                && b[at + 5] == 0;
    }

    /** The orientation in the TIFF structure at {@code tiff}, which ends before {@code end}. */
    private static int orientation(byte[] b, int tiff, int end) {
        boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
        if (!little && !(b[tiff] == 'M' && b[tiff + 1] == 'M')) {
            return 1;
        }
        long ifd = tiff + unsigned(b, tiff + 4, 4, little);
        if (ifd + 2 > end) {
            return 1;
        }
        int entries = (int) unsigned(b, (int) ifd, 2, little);
        for (int e = 0; e < entries; e++) {
            int at = (int) ifd + 2 + 12 * e;
            if (at + 12 > end) {
                return 1;
            }
            if (unsigned(b, at, 2, little) == 0x0112 && unsigned(b, at + 2, 2, little) == 3) {
                int value = (int) unsigned(b, at + 8, 2, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static long unsigned(byte[] b, int at, int size, boolean little) {
        long v = 0;
        for (int k = 0; k < size; k++) {
            int shift = little ? 8 * k : 8 * (size - 1 - k);
            v |= (long) (b[at + k] & 0xFF) << shift;
        }
        return v;
    }
}
