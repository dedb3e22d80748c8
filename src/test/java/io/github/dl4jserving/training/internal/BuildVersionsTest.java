package io.github.dl4jserving.training.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BuildVersionsTest {

    @Test
    void theDl4jVersionInProvenanceIsTheOneThePomResolves() throws Exception {
        Matcher m =
                Pattern.compile("<dl4j.version>([^<]+)</dl4j.version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        assertThat(BuildVersions.dl4jVersion()).isEqualTo(m.group(1));
        assertThat(BuildVersions.DL4J).isEqualTo(m.group(1));
    }
}
