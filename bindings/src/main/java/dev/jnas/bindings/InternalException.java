package dev.jnas.bindings;

/** A bug in libjnas; the message says where. */
public final class InternalException extends JnasException {
    public InternalException(String message) {
        super(Status.INTERNAL, message);
    }
}
