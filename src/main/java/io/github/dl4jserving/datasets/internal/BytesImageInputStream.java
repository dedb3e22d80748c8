package io.github.dl4jserving.datasets.internal;

import java.nio.ByteOrder;
import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/** An ImageIO stream over a byte array that can be pointed at the next array. */
final class BytesImageInputStream extends ImageInputStreamImpl {
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
