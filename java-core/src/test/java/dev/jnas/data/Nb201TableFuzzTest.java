package dev.jnas.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnas.fuzz.Draw;
import dev.jnas.fuzz.Fuzz;
import dev.jnas.space.nb201.Nb201Architecture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NB201 accuracy table, a complete valid one with a few lines edited: it reads as a table of every architecture
 * once, or is refused with a DataException naming the file (and the line, for a bad row). A case writes and reads
 * all 15,626 lines (about 50 ms), so this property runs a tenth of the usual cases: 100 in CI, 1,000 nightly.
 */
class Nb201TableFuzzTest {
    private static final String HEADER = "CIFAR10TestAccuracy200Epochs,CIFAR100TestAccuracy200Epochs,"
            + "ImageNetTestAccuracy200Epochs,ArchitectureString,UniqueString";
    private static final String CHARACTERS = ",.0123456789-eNaIf|+~_nor_conv skip";
    private static final List<String> ROWS = Nb201Architecture.all()
            .map(architecture -> "93.5,70.25,44.0," + architecture + ",u").toList();

    @TempDir
    Path dir;

    /** Where a table's edits are, for the failure message; the table itself is too long to print. */
    private record Table(List<String> lines, String edits) {
        @Override
        public String toString() {
            return edits;
        }
    }

    @Test
    void editedTablesReadCompletelyOrAreRefusedNamingTheFile() {
        Path file = dir.resolve("nb201.csv");
        Fuzz.forAll("NB201 tables", Math.max(1, Fuzz.tries() / 10), Nb201TableFuzzTest::editedTable, table -> {
            try {
                Files.write(file, table.lines());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Nb201Table read;
            try {
                read = Nb201Table.read(file);
            } catch (DataException e) {
                Fuzz.assertNames(e, file.toString());
                return;
            }
            assertEquals(Nb201Architecture.COUNT, read.size());
            for (int index = 0; index < read.size(); index += 97) {
                assertEquals(index, read.index(read.architecture(index)));
            }
        });
    }

    /** The valid table with 1 to 3 lines deleted, duplicated, swapped, edited or added. */
    private static Table editedTable(SplittableRandom random) {
        List<String> lines = new ArrayList<>(ROWS.size() + 1);
        lines.add(HEADER);
        lines.addAll(ROWS);
        StringBuilder edits = new StringBuilder();
        int count = 1 + random.nextInt(3);
        for (int e = 0; e < count; e++) {
            int at = random.nextInt(lines.size());
            int kind = random.nextInt(5);
            edits.append(List.of("deleted", "duplicated", "swapped", "edited", "added before").get(kind))
                    .append(" line ").append(at + 1).append("; ");
            switch (kind) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, lines.get(at));
                case 2 -> {
                    int other = random.nextInt(lines.size());
                    lines.set(at, lines.set(other, lines.get(at)));
                }
                case 3 -> lines.set(at, Draw.edit(random, lines.get(at), CHARACTERS));
                default -> lines.add(at, Draw.text(random, CHARACTERS, 60));
            }
        }
        return new Table(lines, edits.toString());
    }
}
