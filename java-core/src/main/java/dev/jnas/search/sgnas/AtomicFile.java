package dev.jnas.search.sgnas;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a torn file: the
 * content goes to a temporary file in the same directory, which then replaces the target in one atomic move.
 */
final class AtomicFile {
    /** Writes the content to an output stream. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /** @throws UncheckedIOException naming the file when it cannot be written */
    static void write(Path file, Content content) {
        Path target = file.toAbsolutePath();
        Path temporary;
        try {
            temporary = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        boolean moved = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                content.writeTo(out);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (!moved) {
                deleteQuietly(temporary);
            }
        }
    }

    private static void deleteQuietly(Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException suppressed) {
            // The write has already failed; that error is the one to report, and a stray .tmp file is harmless.
        }
    }
}
