package dev.jnas.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.data.Nb201Table.Benchmark;
import dev.jnas.space.nb201.Nb201Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Nb201TableTest {
    private static final String HEADER = "CIFAR10TestAccuracy200Epochs,CIFAR100TestAccuracy200Epochs,"
            + "ImageNetTestAccuracy200Epochs,ArchitectureString,UniqueString";
    private static final String ROW_0 = "85.86,52.91,26.63,"
            + "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|,u0";
    private static final String ROW_1 = "93.66,70.29,44.03,"
            + "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|,u1";

    private static Path file;
    private static List<String> lines;
    private static Nb201Table table;

    @TempDir
    Path temp;

    @BeforeAll
    static void readTable() throws IOException {
        file = Nb201Table.defaultPath();
        lines = Files.readAllLines(file);
        table = Nb201Table.read(file);
    }

    @Test
    void everyRowFormatsBackToTheTablesStringAndMapsBothWays() {
        assertEquals(Nb201Architecture.COUNT, table.size());
        assertEquals(Nb201Architecture.COUNT + 1, lines.size());
        for (int index = 0; index < table.size(); index++) {
            String tableString = lines.get(index + 1).split(",")[3];
            Nb201Architecture architecture = table.architecture(index);
            assertEquals(tableString, architecture.toString(), "row " + index);
            assertEquals(index, table.index(architecture));
            assertEquals(index, table.index(Nb201Architecture.parse(tableString)));
        }
    }

    @Test
    void holdsEveryOrdinalOnce() {
        Set<Integer> ordinals = new HashSet<>();
        for (int index = 0; index < table.size(); index++) {
            ordinals.add(table.architecture(index).ordinal());
        }
        assertEquals(Nb201Architecture.COUNT, ordinals.size());
        Nb201Architecture.all().forEach(architecture -> assertEquals(architecture, table.architecture(
                table.index(architecture))));
    }

    @Test
    void bestCellsMatchTheDataReadme() {
        assertEquals(6111, argmax(Benchmark.CIFAR10));
        assertEquals(9930, argmax(Benchmark.CIFAR100));
        assertEquals(857, argmax(Benchmark.IMAGENET16_120));
        assertEquals(94.37, table.accuracy(6111, Benchmark.CIFAR10), 0.005);
        assertEquals(73.51, table.accuracy(9930, Benchmark.CIFAR100), 0.005);
        assertEquals(47.31, table.accuracy(857, Benchmark.IMAGENET16_120), 0.005);
    }

    @Test
    void allSkipCellMatchesTheDataReadme() {
        Nb201Architecture allSkip = Nb201Architecture.parse(
                "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|");
        assertEquals(1835, table.index(allSkip));
        assertEquals(54.30, table.accuracy(1835, Benchmark.CIFAR10), 0.005);
        assertEquals(15.61, table.accuracy(1835, Benchmark.CIFAR100), 0.005);
        assertEquals(16.32, table.accuracy(1835, Benchmark.IMAGENET16_120), 0.005);
    }

    @Test
    void rejectsIndicesOutsideTheTable() {
        assertThrows(IndexOutOfBoundsException.class, () -> table.architecture(Nb201Architecture.COUNT));
        assertThrows(IndexOutOfBoundsException.class, () -> table.accuracy(-1, Benchmark.CIFAR10));
    }

    @Test
    void reportsAMissingFile() {
        Path missing = temp.resolve("absent.csv");
        assertError(missing, "NB201 table " + missing + " does not exist");
    }

    @Test
    void reportsAnEmptyFile() throws IOException {
        assertError(write(), ": empty; expected the header " + HEADER);
    }

    @Test
    void reportsAWrongHeader() throws IOException {
        Path bad = write("acc10,acc100,acc16,arch,unique", ROW_0);
        assertError(bad, bad + ":1: expected the header " + HEADER + " but found acc10,acc100,acc16,arch,unique");
    }

    @Test
    void reportsAShortRow() throws IOException {
        Path bad = write(HEADER, ROW_0, "93.66,70.29,44.03");
        assertError(bad, bad + ":3: expected 5 comma-separated fields");
    }

    @Test
    void reportsANonNumericAccuracy() throws IOException {
        Path bad = write(HEADER, ROW_0, ROW_1.replace("70.29", "seventy"));
        assertError(bad, bad + ":3: CIFAR100TestAccuracy200Epochs 'seventy' is not a finite number");
    }

    @Test
    void reportsABadArchitectureString() throws IOException {
        Path bad = write(HEADER, ROW_1.replace("avg_pool_3x3~1", "max_pool_3x3~1"));
        assertError(bad, bad + ":2: bad NB201 architecture");
        assertError(bad, "unknown op 'max_pool_3x3'");
    }

    @Test
    void reportsARepeatedArchitecture() throws IOException {
        Path bad = write(HEADER, ROW_0, ROW_1, ROW_0);
        assertError(bad, bad + ":4: architecture " + ROW_0.split(",")[3] + " is already index 0 (line 2)");
    }

    @Test
    void reportsAWrongRowCount() throws IOException {
        Path bad = write(HEADER, ROW_0, ROW_1);
        assertError(bad, bad + ": 2 rows, expected 15625");
    }

    private int argmax(Benchmark benchmark) {
        int best = 0;
        for (int index = 1; index < table.size(); index++) {
            if (table.accuracy(index, benchmark) > table.accuracy(best, benchmark)) {
                best = index;
            }
        }
        return best;
    }

    private Path write(String... fileLines) throws IOException {
        Path path = temp.resolve("table.csv");
        Files.writeString(path, fileLines.length == 0 ? "" : String.join("\n", fileLines) + "\n");
        return path;
    }

    private static void assertError(Path path, String expected) {
        DataException e = assertThrows(DataException.class, () -> Nb201Table.read(path));
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
