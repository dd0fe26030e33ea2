package dev.jnas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a command's results (a JSON document, a log) into its --out directory. The directory is checked before
 * the run spends any time, and each file is written whole or not at all, so a failed write leaves nothing that a
 * rerun or a reader could mistake for a result.
 */
final class ResultFile {
    private ResultFile() {
    }

    /**
     * Makes directory if needed and checks that files can be written into it (by writing and deleting one).
     *
     * @throws UncheckedIOException naming the directory and the reason
     */
    static void requireWritable(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.delete(Files.createTempFile(directory, ".jnas-", ".probe"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results into " + directory + ": " + reason(e), e);
        }
    }

    /** Replaces file with content and a line end: written next to it, then moved over it in one step. */
    static void write(Path file, String content) {
        Path temporary = null;
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, "." + file.getFileName(), ".partial");
            Files.writeString(temporary, content + System.lineSeparator());
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new UncheckedIOException("cannot write " + file + ": " + reason(e), e);
        }
    }

    /** What went wrong, in words: NIO's exceptions often carry only the path as their message. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException failure && failure.getReason() != null) {
            return failure.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException failure) {
            return failure.getFile() + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException failure) {
            return "no such file or directory: " + failure.getFile();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the write already failed; that is the error to report
        }
    }
}
