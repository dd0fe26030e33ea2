package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class LibraryLoaderTest {
    @Test
    void anExplicitPathThatDoesNotExistIsNamedInTheError() {
        withLibraryProperty("/nonexistent/libjnas.so", () -> {
            LibraryNotFoundException e = assertThrows(LibraryNotFoundException.class, NativeLibraryLoader::locate);
            assertTrue(e.getMessage().contains("/nonexistent/libjnas.so"), e.getMessage());
            assertTrue(e.getMessage().contains("-Djnas.library"), e.getMessage());
        });
    }

    /** Without the property and the variable, the copy packed into the jar (or classes) is unpacked. */
    @Test
    void thePackedLibraryIsUnpackedWhenNothingElseNamesOne() {
        assumeTrue(System.getenv(NativeLibraryLoader.ENVIRONMENT) == null, "JNAS_LIBRARY is set");
        assumeTrue(NativeLibraryLoader.class.getResource(NativeLibraryLoader.RESOURCE) != null,
                "libjnas was not built when the bindings were compiled");
        withLibraryProperty(null, () -> {
            Path unpacked = NativeLibraryLoader.locate();
            try {
                assertArrayEquals(NativeLibraryLoader.class.getResourceAsStream(NativeLibraryLoader.RESOURCE)
                        .readAllBytes(), Files.readAllBytes(unpacked));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static void withLibraryProperty(String value, Runnable test) {
        String saved = System.getProperty(NativeLibraryLoader.PROPERTY);
        try {
            if (value == null) {
                System.clearProperty(NativeLibraryLoader.PROPERTY);
            } else {
                System.setProperty(NativeLibraryLoader.PROPERTY, value);
            }
            test.run();
        } finally {
            if (saved == null) {
                System.clearProperty(NativeLibraryLoader.PROPERTY);
            } else {
                System.setProperty(NativeLibraryLoader.PROPERTY, saved);
            }
        }
    }
}
