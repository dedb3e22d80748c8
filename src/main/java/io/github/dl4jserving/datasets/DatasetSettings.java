package io.github.dl4jserving.datasets;

import io.github.dl4jserving.platform.LargeBodyLimit;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The data sets' {@code dl4j-serving.*} settings.
 *
 * @param dataDir           where data sets are read and downloaded to ({@code DL4J_SERVING_DATA_DIR})
 * @param maxDatasetSize    the largest raw (CSV or zip) upload; a zip may unpack to four times this. The
 *                          HTTP edge takes it as the {@link LargeBodyLimit} of the upload routes
 * @param maxImageDimension the largest width or height an image (a request's or a data set's) may declare
 * @param maxRequestPixels  the pixels (width x height, summed) the images of one inference request may
 *                          declare: 256 Mi, 256 images of 1024x1024, about 5 s of decoding on one core
 * @param maxDatasetPixels  the same for all the images of one data set zip: 1 Gi, 16,000 images of
 *                          256x256 or 64 of the largest, about 20 s of decoding
 */
@ConfigurationProperties("dl4j-serving")
public record DatasetSettings(
        @DefaultValue("data") String dataDir,
        @DefaultValue("200MB") DataSize maxDatasetSize,
        @DefaultValue("4096") int maxImageDimension,
        @DefaultValue("268435456") long maxRequestPixels,
        @DefaultValue("1073741824") long maxDatasetPixels)
        implements LargeBodyLimit {

    @Override
    public DataSize largeBodyLimit() {
        return maxDatasetSize;
    }

    public Path dataPath() {
        return Path.of(dataDir);
    }
}
