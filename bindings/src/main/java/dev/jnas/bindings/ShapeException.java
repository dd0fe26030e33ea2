package dev.jnas.bindings;

/** Shapes that do not fit together. */
public final class ShapeException extends JnasException {
    public ShapeException(String message) {
        super(Status.SHAPE, message);
    }
}
