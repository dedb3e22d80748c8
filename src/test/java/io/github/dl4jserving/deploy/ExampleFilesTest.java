package io.github.dl4jserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jserving.TestData;
import io.github.dl4jserving.datasets.DatasetFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples run from the clone's root with what the checkout has: every file a block
 * names is there, and {@code examples/data-file.sh} fetches the same files, from the same places,
 * with the same checksums as the service.
 */
class ExampleFilesTest {
    private static final Path SCRIPT = Path.of("examples", "data-file.sh");

    /** The README's sh blocks. */
    private static List<String> shBlocks() throws Exception {
        Matcher m = Pattern.compile("(?ms)^```sh\\n(.*?)^```$").matcher(Files.readString(Path.of("README.md")));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void everyFileTheReadmeSendsIsInTheCheckout() throws Exception {
        List<String> named = new ArrayList<>();
        // curl's @file and <file, and the files the blocks read with base64
        Pattern file = Pattern.compile("[@<]([\\w./-]+\\.\\w+)|base64 -w0 ([\\w./-]+)");
        for (String block : shBlocks()) {
            Matcher m = file.matcher(block);
            while (m.find()) {
                named.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        assertThat(named).as("files the README's blocks send").hasSizeGreaterThan(8);
        for (String f : named) {
            assertThat(Path.of(f)).as(f + ", named by a README block").isRegularFile();
        }
        assertThat(named)
                .contains("examples/digit.jpg", "examples/rows.csv", "models/breast-cancer-logreg/1/model.zip");
    }

    @Test
    void theDataScriptKnowsEachDataFileAsTheServiceDoes() throws Exception {
        String script = Files.readString(SCRIPT);
        for (DatasetFile f : DatasetFile.values()) {
            Matcher arm = Pattern.compile(
                            "(?m)^  " + Pattern.quote(f.relativePath()) + "\\)\\n    url=(\\S+)\\n    sha=(\\w+) ;;")
                    .matcher(script);
            assertThat(arm.find()).as(f.relativePath() + " in " + SCRIPT).isTrue();
            assertThat(arm.group(1)).isEqualTo(f.url().toString());
            assertThat(arm.group(2)).isEqualTo(f.sha256());
        }
    }

    @Test
    void theDataScriptPrintsAFileThatIsThereAndRefusesAnUnknownOne(@TempDir Path empty) throws Exception {
        assertThat(data(TestData.DATA_DIR, "breast-cancer-wisconsin/breast-cancer-wisconsin.data"))
                .isEqualTo("0 " + TestData.DATA_DIR.toAbsolutePath()
                        + "/breast-cancer-wisconsin/breast-cancer-wisconsin.data");
        assertThat(data(empty, "mnist/other.gz")).startsWith("2 ").contains("unknown data file 'mnist/other.gz'");
        assertThat(empty).isEmptyDirectory();
    }

    /** The exit code and output of data-file.sh. */
    private static String data(Path dir, String file) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), file).redirectErrorStream(true);
        pb.environment().put("DL4J_SERVING_DATA_DIR", dir.toAbsolutePath().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + " " + out;
    }
}
