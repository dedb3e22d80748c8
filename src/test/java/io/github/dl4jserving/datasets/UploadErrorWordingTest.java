package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/** Data set upload failures are described to the client in plain words, never by the JDK's message. */
class UploadErrorWordingTest {

    @Test
    void jdkMessagesAreMappedAndTheReadersOwnAreKeptWithoutThePath() {
        assertThat(UploadedImages.readable(new EOFException()))
                .contains("truncated")
                .doesNotContain("EOF");
        assertThat(UploadedImages.readable(new EOFException("Unexpected end of ZLIB input stream")))
                .contains("truncated")
                .doesNotContain("ZLIB");
        assertThat(UploadedImages.readable(new ZipException("encrypted ZIP entry not supported")))
                .contains("encryption")
                .doesNotContain("ZIP entry");
        assertThat(UploadedImages.readable(new ZipException("invalid stored block lengths")))
                .doesNotContain("stored block");
        assertThat(UploadedImages.readable(new IOException("Not in GZIP format")))
                .isEqualTo("The upload could not be read: it is damaged or not in the format its Content-Type says.");
        assertThat(UploadedImages.readable(new IOException())).doesNotContain("IOException");
        assertThat(UploadedImages.readable(new IOException(
                        "/srv/models/.datasets/.tmp-0f1e2d3c-aaaa-bbbb-cccc-000011112222/images.idx is not an IDX image "
                                + "file (magic 0x0)")))
                .isEqualTo("images.idx is not an IDX image file (magic 0x0)");
    }
}
