package dev.jnas.cli;

import dev.jnas.data.Nb201Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The NB201 table where one is installed: score prints benchmark indices with it and works without it. */
final class OptionalTable {
    private OptionalTable() {
    }

    /** The table if its file exists; a file that exists but is malformed is still an error. */
    static Optional<Nb201Table> load() {
        Path file;
        try {
            file = Nb201Table.defaultPath();
        } catch (IllegalStateException noSharedDirectory) {
            return Optional.empty();
        }
        return Files.isRegularFile(file) ? Optional.of(Nb201Table.read(file)) : Optional.empty();
    }
}
