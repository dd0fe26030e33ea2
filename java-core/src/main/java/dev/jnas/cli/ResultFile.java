package dev.jnas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a command's result (a JSON document, a log) to a file, making its directory if needed. */
final class ResultFile {
    private ResultFile() {
    }

    static void write(Path file, String content) {
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null) {
                Files.createDirectories(directory);
            }
            Files.writeString(file, content + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
