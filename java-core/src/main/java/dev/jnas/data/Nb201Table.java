package dev.jnas.data;

import dev.jnas.space.SharedDirectory;
import dev.jnas.space.nb201.ArchitectureFormatException;
import dev.jnas.space.nb201.Nb201Architecture;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NAS-Bench-201's test accuracies after 200 epochs for all {@value Nb201Architecture#COUNT} cells, one CSV
 * row per cell in the benchmark's index order (row i is index i). That order is the benchmark's own, not
 * {@link Nb201Architecture#ordinal()}'s, so index and architecture map to each other only through this table.
 * Reading checks the whole file; every problem is a {@link DataException} naming the file and line.
 */
public final class Nb201Table {
    /** A path to the CSV, overriding the one in the shared directory. */
    public static final String PATH_PROPERTY = "jnas.nb201.table";
    public static final String SHARED_FILE = "data/nb201-accuracy.csv";
    private static final String ARCHITECTURE_COLUMN = "ArchitectureString";
    private static final List<String> HEADER = List.of(Benchmark.CIFAR10.column, Benchmark.CIFAR100.column,
            Benchmark.IMAGENET16_120.column, ARCHITECTURE_COLUMN, "UniqueString");
    private static final int ARCHITECTURE_FIELD = HEADER.indexOf(ARCHITECTURE_COLUMN);

    /** The data sets of the table's accuracy columns, in column order. */
    public enum Benchmark {
        CIFAR10("CIFAR10TestAccuracy200Epochs"),
        CIFAR100("CIFAR100TestAccuracy200Epochs"),
        IMAGENET16_120("ImageNetTestAccuracy200Epochs");

        private final String column;

        Benchmark(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }
    }

    private final List<Nb201Architecture> architectures;
    private final Map<Nb201Architecture, Integer> indices;
    private final double[][] accuracies;

    private Nb201Table(List<Nb201Architecture> architectures, Map<Nb201Architecture, Integer> indices,
                       double[][] accuracies) {
        this.architectures = architectures;
        this.indices = indices;
        this.accuracies = accuracies;
    }

    /** -Djnas.nb201.table if set, else {@value #SHARED_FILE} in the {@link SharedDirectory}. */
    public static Path defaultPath() {
        String property = System.getProperty(PATH_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        return SharedDirectory.locate().resolve(SHARED_FILE);
    }

    public static Nb201Table readDefault() {
        return read(defaultPath());
    }

    public static Nb201Table read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            return parse(file, reader);
        } catch (NoSuchFileException e) {
            throw new DataException("NB201 table " + file + " does not exist; pass its path or set -D"
                    + PATH_PROPERTY, e);
        } catch (IOException e) {
            throw new DataException("cannot read NB201 table " + file + ": " + e.getMessage(), e);
        }
    }

    private static Nb201Table parse(Path file, BufferedReader reader) throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new DataException(file + ": empty; expected the header " + String.join(",", HEADER));
        }
        if (!Arrays.asList(header.split(",", -1)).equals(HEADER)) {
            throw new DataException(file + ":1: expected the header " + String.join(",", HEADER) + " but found "
                    + header);
        }
        List<Nb201Architecture> architectures = new ArrayList<>(Nb201Architecture.COUNT);
        Map<Nb201Architecture, Integer> indices = new HashMap<>();
        double[][] accuracies = new double[Benchmark.values().length][Nb201Architecture.COUNT];
        int lineNumber = 1;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            String where = file + ":" + lineNumber + ": ";
            int index = architectures.size();
            if (index == Nb201Architecture.COUNT) {
                throw new DataException(where + "more than " + Nb201Architecture.COUNT
                        + " rows; NB201 has one per architecture");
            }
            String[] fields = line.split(",", -1);
            if (fields.length != HEADER.size()) {
                throw new DataException(where + "expected " + HEADER.size() + " comma-separated fields ("
                        + String.join(",", HEADER) + "), found " + fields.length);
            }
            for (Benchmark benchmark : Benchmark.values()) {
                accuracies[benchmark.ordinal()][index] = accuracy(where, benchmark, fields[benchmark.ordinal()]);
            }
            Nb201Architecture architecture = architecture(where, fields[ARCHITECTURE_FIELD]);
            Integer earlier = indices.putIfAbsent(architecture, index);
            if (earlier != null) {
                throw new DataException(where + "architecture " + architecture + " is already index " + earlier
                        + " (line " + (earlier + 2) + ")");
            }
            architectures.add(architecture);
        }
        if (architectures.size() != Nb201Architecture.COUNT) {
            throw new DataException(file + ": " + architectures.size() + " rows, expected "
                    + Nb201Architecture.COUNT + " (one per NB201 architecture)");
        }
        return new Nb201Table(List.copyOf(architectures), Map.copyOf(indices), accuracies);
    }

    private static double accuracy(String where, Benchmark benchmark, String field) {
        try {
            double value = Double.parseDouble(field);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the field and column
        }
        throw new DataException(where + benchmark.column + " '" + field + "' is not a finite number");
    }

    private static Nb201Architecture architecture(String where, String field) {
        try {
            return Nb201Architecture.parse(field);
        } catch (ArchitectureFormatException e) {
            throw new DataException(where + e.getMessage(), e);
        }
    }

    /** The number of rows: every NB201 architecture once. */
    public int size() {
        return architectures.size();
    }

    /** The architecture with NB201 index. */
    public Nb201Architecture architecture(int index) {
        return architectures.get(checkIndex(index));
    }

    /** The NB201 index of architecture; every architecture has one. */
    public int index(Nb201Architecture architecture) {
        return indices.get(architecture);
    }

    /** Test accuracy in percent of the architecture with NB201 index. */
    public double accuracy(int index, Benchmark benchmark) {
        return accuracies[benchmark.ordinal()][checkIndex(index)];
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= architectures.size()) {
            throw new IndexOutOfBoundsException("NB201 index " + index + " is outside 0.." + (size() - 1));
        }
        return index;
    }
}
