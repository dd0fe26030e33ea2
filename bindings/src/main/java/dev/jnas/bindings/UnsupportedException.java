package dev.jnas.bindings;

/** A valid request that this build or backend cannot do. */
public final class UnsupportedException extends JnasException {
    public UnsupportedException(String message) {
        super(Status.UNSUPPORTED, message);
    }
}
