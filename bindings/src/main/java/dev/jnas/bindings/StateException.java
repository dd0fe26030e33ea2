package dev.jnas.bindings;

/** A call in the wrong order (e.g. backward before forward), or the use of a closed handle. */
public final class StateException extends JnasException {
    public StateException(String message) {
        super(Status.STATE, message);
    }
}
