package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.ModuleBeans;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The data sets module started alone (it uses the platform's types, none of its beans): its settings
 * point at the test data, whose files it reads and checks, and it says which JPEG decoder is in use.
 */
@ApplicationModuleTest
@ActiveProfiles("module")
class DatasetsModuleTest {
    private final ApplicationContext context;
    private final DatasetSettings settings;

    DatasetsModuleTest(ApplicationContext context, DatasetSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Test
    void startsAloneReadsItsDataAndNamesItsDecoder() throws Exception {
        assertThat(ModuleBeans.modules(context)).containsExactly("datasets");

        DataDirectory data = new DataDirectory(Path.of(settings.dataDir()));
        assertThat(BreastCancerCsvReader.read(data)).hasSize(699);

        Info.Builder info = new Info.Builder();
        context.getBeansOfType(InfoContributor.class).values().forEach(c -> c.contribute(info));
        assertThat(info.build().getDetails()).containsKey("imageDecoder");
        assertThat(((Map<?, ?>) info.build().getDetails().get("imageDecoder")).get("jpeg"))
                .isNotNull();
    }
}
