package io.github.dl4jserving.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jserving.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class CsvTableTest {

    private static CsvTable parse(String text) {
        return CsvTable.parse(text.getBytes(StandardCharsets.UTF_8), 1000, 100);
    }

    @Test
    void readsTheSalaryTableWithItsCrlfLinesAndNoFinalNewline() throws Exception {
        CsvTable t = CsvTable.parse(
                Files.readAllBytes(TestData.DATA_DIR.resolve("salary/position_salaries.csv")), 1000, 100);
        assertThat(t.header()).containsExactly("Position", "Level", "Salary");
        assertThat(t.rowCount()).isEqualTo(10);
        assertThat(t.numericColumn("Salary")).startsWith(45000).endsWith(1_000_000);
        assertThat(t.column("Position")).first().isEqualTo("Business Analyst");
    }

    @Test
    void readsRfc4180QuotingAsPythonsCsvModuleWritesIt() {
        // csv.writer(f, quoting=csv.QUOTE_ALL) with the default CRLF line ends
        CsvTable t = parse("\uFEFF\"name\",\"x\",\"y\"\r\n\"Smith, J.\",\"5\",\"1\"\r\n"
                + "\"say \"\"hi\"\"\",\"2\",\"0\"\r\n\"two\nlines\",\"3\",\"1\"\r\n");
        assertThat(t.header()).containsExactly("name", "x", "y");
        assertThat(t.column("name")).containsExactly("Smith, J.", "say \"hi\"", "two\nlines");
        assertThat(t.numericColumn("x")).containsExactly(5, 2, 3);
    }

    @Test
    void anUnclosedQuoteOrTextAfterAClosingQuoteNamesItsRow() {
        assertThatThrownBy(() -> parse("x,y\n1,2\n\"3,4\n"))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageStartingWith("Row 2 is not well-formed CSV: Missing closing quote");
        assertThatThrownBy(() -> parse("x,y\n\"1\"z,2\n"))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageStartingWith("Row 1 is not well-formed CSV");
        assertThatThrownBy(() -> parse("\"x,y\n1,2\n"))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageStartingWith("The header is not well-formed CSV");
    }

    @Test
    void stripsQuotesAndAByteOrderMarkAndSkipsBlankLines() {
        CsvTable t = parse("\uFEFF\"a\",b\n\n\"1\", 2 \n");
        assertThat(t.header()).containsExactly("a", "b");
        assertThat(t.numericColumn("a")).containsExactly(1);
        assertThat(t.numericColumn("b")).containsExactly(2);
    }

    @Test
    void namesTheRowOfARaggedLine() {
        assertThatThrownBy(() -> parse("a,b\n1,2\n3\n"))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("Row 2 has 1 cells but the header has 2")
                .extracting(e -> ((InvalidDatasetException) e).row())
                .isEqualTo(2);
    }

    @Test
    void namesTheRowAndColumnOfANonNumericCell() {
        CsvTable t = parse("x,y\n1,2\n3,abc\n");
        assertThatThrownBy(() -> t.numericColumn("y"))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessage("Row 2, column 'y': 'abc' is not a number.")
                .satisfies(
                        e -> assertThat(((InvalidDatasetException) e).field()).isEqualTo("y"));
        assertThatThrownBy(() -> parse("x\nNaN\n").numericColumn("x")).hasMessageContaining("'NaN' is not a number");
    }

    @Test
    void refusesEmptyFilesHeaderOnlyFilesMissingColumnsAndDuplicateNames() {
        assertThatThrownBy(() -> parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("a,b\n")).hasMessageContaining("no data rows");
        assertThatThrownBy(() -> parse("a,b\n1,2\n").column("target")).hasMessageContaining("no column 'target'");
        assertThatThrownBy(() -> parse("a,a\n1,2\n")).hasMessageContaining("twice");
        assertThatThrownBy(() -> CsvTable.parse(new byte[] {(byte) 0xC3, 0x28}, 10, 10))
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> CsvTable.parse("a,b,c\n".getBytes(StandardCharsets.UTF_8), 10, 2))
                .hasMessageContaining("at most 2");
    }

    @Test
    void refusesATableWithMoreCellsThanTheLimitAfterReadingNoMoreThanThat() {
        byte[] csv = ("a,b,c\n" + "1,2,3\n".repeat(100)).getBytes(StandardCharsets.UTF_8);

        // Before: a table within the row and column limits was read whole, 980,000 rows of 101 columns
        // until the heap ran out.
        assertThatThrownBy(() -> CsvTable.parse(csv, 1_000, 1_000, 150))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("more than 150 cells");
        assertThat(CsvTable.parse(csv, 1_000, 1_000, 303).rowCount()).isEqualTo(100);
    }
}
