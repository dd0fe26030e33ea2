package dev.jnas.bindings;

/** A host or device allocation in libjnas failed. */
public final class OutOfMemoryException extends JnasException {
    public OutOfMemoryException(String message) {
        super(Status.OUT_OF_MEMORY, message);
    }
}
