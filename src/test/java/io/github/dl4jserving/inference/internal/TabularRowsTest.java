package io.github.dl4jserving.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.datasets.BreastCancerCsvReader;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.registry.ModelDescriptor.FeatureRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TabularRowsTest {
    static final List<FeatureRange> SCHEMA = BreastCancerCsvReader.FEATURES.stream()
            .map(f -> new FeatureRange(f, 1, 10))
            .toList();

    static Map<String, Object> features(Object... overrides) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : BreastCancerCsvReader.FEATURES) {
            m.put(f, 1);
        }
        for (int i = 0; i < overrides.length; i += 2) {
            m.put((String) overrides[i], overrides[i + 1]);
        }
        return m;
    }

    @Test
    void readsNamedFeaturesInTheModelsOrder() {
        Map<String, Object> m = features("mitoses", 3, "clump_thickness", 7.5);

        double[] row = TabularRows.fromJson(m, SCHEMA, "features");

        assertThat(row[0]).isEqualTo(7.5);
        assertThat(row[8]).isEqualTo(3);
    }

    @Test
    void readsAnOrderedArray() {
        double[] row = TabularRows.fromJson(List.of(5, 1, 1, 1, 2, 1, 3, 1, 1), SCHEMA, "features");

        assertThat(row).containsExactly(5, 1, 1, 1, 2, 1, 3, 1, 1);
    }

    @Test
    void namesTheFieldOfEveryKindOfBadValue() {
        assertField(features("bare_nuclei", 11), "features.bare_nuclei", "outside its valid range 1 to 10");
        assertField(features("bare_nuclei", "7"), "features.bare_nuclei", "not the string");
        List<Object> withNull = new ArrayList<>(List.of(5, 1, 1, 1, 2, 1, 3, 1, 1));
        withNull.set(3, null);
        assertField(withNull, "features[3] (marginal_adhesion)", "not null");
        assertField(features("bare_nuclei", Double.NaN), "features.bare_nuclei", "finite");
        assertField(features("bare_nuclei", Double.POSITIVE_INFINITY), "features.bare_nuclei", "finite");
        Map<String, Object> unknown = features();
        unknown.put("tumour_colour", 3);
        assertField(unknown, "features.tumour_colour", "Unknown feature");
        Map<String, Object> missing = features();
        missing.remove("mitoses");
        assertField(missing, "features.mitoses", "missing");
        assertField(List.of(1, 2, 3), "features", "has 3 values");
    }

    @Test
    void readsCsvWithHeaderInAnyOrderIgnoringIdAndClass() {
        String csv = "id,mitoses,clump_thickness,uniformity_cell_size,uniformity_cell_shape,marginal_adhesion,"
                + "single_epithelial_cell_size,bare_nuclei,bland_chromatin,normal_nucleoli,class\n"
                + "1000025,1,5,1,1,1,2,1,3,1,2\n"
                + "1002945,2,5,4,4,5,7,10,3,2,2\n";

        List<double[]> rows = TabularRows.fromCsv(csv, SCHEMA, 100);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).containsExactly(5, 4, 4, 5, 7, 10, 3, 2, 2);
    }

    @Test
    void readsQuotedCellsCrlfAndAByteOrderMarkAsPythonsCsvModuleWritesThem() {
        String header = BreastCancerCsvReader.FEATURES.stream()
                .map(f -> "\"" + f + "\"")
                .collect(Collectors.joining(","));
        // QUOTE_ALL, CRLF, a BOM, and an ignored id column holding a quoted comma and escaped quotes
        String csv = "\uFEFF\"id\"," + header + "\r\n"
                + "\"a, \"\"b\"\"\",\"5\",\"1\",\"1\",\"1\",\"2\",\"1\",\"3\",\"1\",\"1\"\r\n"
                + "\"c\",\"8\",\"10\",\"10\",\"8\",\"7\",\"10\",\"9\",\"7\",\"1\"\r\n";

        List<double[]> rows = TabularRows.fromCsv(csv, SCHEMA, 100);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(5, 1, 1, 1, 2, 1, 3, 1, 1);
        assertThat(rows.get(1)).containsExactly(8, 10, 10, 8, 7, 10, 9, 7, 1);
        assertThatThrownBy(() -> TabularRows.fromCsv("id," + header + "\n\"x,5,1,1,1,2,1,3,1,1\n", SCHEMA, 100))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("CSV row 1 is not well-formed CSV")
                .extracting(e -> ((InvalidInputException) e).field())
                .isEqualTo("csv.row1");
    }

    @Test
    void namesTheLineAndColumnOfABadCsvCell() {
        String header = String.join(",", BreastCancerCsvReader.FEATURES);
        assertThatThrownBy(() -> TabularRows.fromCsv(header + "\n5,1,1,1,2,?,3,1,1\n", SCHEMA, 100))
                .isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).field())
                .isEqualTo("csv.row1.bare_nuclei");
        assertThatThrownBy(() -> TabularRows.fromCsv(header + "\n5,1,1,1,2,NaN,3,1,1\n", SCHEMA, 100))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> TabularRows.fromCsv("a,b\n1,2\n", SCHEMA, 100))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Unknown CSV column 'a'");
        String wide = String.join(",", Collections.nCopies(100_000, "x"));
        assertThatThrownBy(() -> TabularRows.fromCsv(wide + "\n", SCHEMA, 100))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("100000 columns");
        String many = header + "\n" + "5,1,1,1,2,1,3,1,1\n".repeat(101);
        assertThatThrownBy(() -> TabularRows.fromCsv(many, SCHEMA, 100))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than 100 rows");
    }

    private static void assertField(Object value, String field, String message) {
        assertThatThrownBy(() -> TabularRows.fromJson(value, SCHEMA, "features"))
                .as("%s", value)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((InvalidInputException) e).field())
                .isEqualTo(field);
    }
}
