package io.github.dl4jserving.datasets;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The data sets' {@code dl4j-serving.*} settings.
 *
 * @param dataDir           where data sets are read and downloaded to ({@code DL4J_SERVING_DATA_DIR})
 * @param maxDatasetSize    the largest raw (CSV or zip) upload; a zip may unpack to four times this
 * @param maxImageDimension the largest width or height an image (a request's or a data set's) may declare
 */
@ConfigurationProperties("dl4j-serving")
public record DatasetSettings(
        @DefaultValue("data") String dataDir,
        @DefaultValue("200MB") DataSize maxDatasetSize,
        @DefaultValue("4096") int maxImageDimension) {

    public Path dataPath() {
        return Path.of(dataDir);
    }
}
