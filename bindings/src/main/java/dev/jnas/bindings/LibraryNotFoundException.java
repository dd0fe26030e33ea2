package dev.jnas.bindings;

/** libjnas could not be found or loaded; the message says where it looked and how to fix it. */
public final class LibraryNotFoundException extends RuntimeException {
    public LibraryNotFoundException(String message) {
        super(message);
    }

    public LibraryNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
