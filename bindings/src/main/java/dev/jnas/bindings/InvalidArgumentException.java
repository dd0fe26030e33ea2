package dev.jnas.bindings;

/** A bad value: a negative size, an unknown node id, a null or wrongly sized array. */
public final class InvalidArgumentException extends JnasException {
    public InvalidArgumentException(String message) {
        super(Status.INVALID_ARGUMENT, message);
    }
}
