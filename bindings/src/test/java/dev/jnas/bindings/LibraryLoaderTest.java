package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LibraryLoaderTest {
    @Test
    void anExplicitPathThatDoesNotExistIsNamedInTheError() {
        String saved = System.getProperty(NativeLibraryLoader.PROPERTY);
        try {
            System.setProperty(NativeLibraryLoader.PROPERTY, "/nonexistent/libjnas.so");
            LibraryNotFoundException e = assertThrows(LibraryNotFoundException.class, NativeLibraryLoader::locate);
            assertTrue(e.getMessage().contains("/nonexistent/libjnas.so"), e.getMessage());
            assertTrue(e.getMessage().contains("-Djnas.library"), e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(NativeLibraryLoader.PROPERTY);
            } else {
                System.setProperty(NativeLibraryLoader.PROPERTY, saved);
            }
        }
    }
}
