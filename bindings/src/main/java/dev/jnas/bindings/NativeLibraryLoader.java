package dev.jnas.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Finds libjnas.so and opens it, in this order: the system property {@code jnas.library}, the environment
 * variable {@code JNAS_LIBRARY}, the resource {@value #RESOURCE} unpacked from the jar to a temporary file.
 * An explicitly named path that does not exist is an error rather than a reason to look elsewhere, so a typo
 * never silently loads a different build.
 */
final class NativeLibraryLoader {
    static final String PROPERTY = "jnas.library";
    static final String ENVIRONMENT = "JNAS_LIBRARY";
    static final String RESOURCE = "/native/linux-x86_64/libjnas.so";
    private static final String HOW_TO_FIX =
            "build it with ./jnas, or set -Djnas.library=/path/to/libjnas.so";

    private NativeLibraryLoader() {
    }

    /** An opened libjnas and where it was found. */
    record Loaded(Path path, SymbolLookup symbols) {
    }

    /** Opens the library for the life of the JVM (libjnas is never unloaded while handles may exist). */
    static Loaded open() {
        Path library = locate();
        try {
            return new Loaded(library, SymbolLookup.libraryLookup(library, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new LibraryNotFoundException("cannot load " + library + ": " + e.getMessage(), e);
        }
    }

    static Path locate() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return existing(Path.of(property), "-D" + PROPERTY);
        }
        String environment = System.getenv(ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return existing(Path.of(environment), "$" + ENVIRONMENT);
        }
        Path unpacked = unpackResource();
        if (unpacked != null) {
            return unpacked;
        }
        throw new LibraryNotFoundException("libjnas.so not found: " + HOW_TO_FIX);
    }

    private static Path existing(Path path, String origin) {
        if (!Files.isRegularFile(path)) {
            throw new LibraryNotFoundException(
                    "libjnas.so not found at " + path + " (from " + origin + "): " + HOW_TO_FIX);
        }
        return path;
    }

    private static Path unpackResource() {
        try (InputStream in = NativeLibraryLoader.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            Path file = Files.createTempFile("libjnas", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new LibraryNotFoundException("cannot unpack " + RESOURCE + " from the jar: " + e.getMessage(), e);
        }
    }
}
