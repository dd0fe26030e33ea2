package dev.jnas.space.nb201;

/** An architecture string that is not NB201's format; the message says what is wrong and at which character. */
public final class ArchitectureFormatException extends IllegalArgumentException {
    public ArchitectureFormatException(String message) {
        super(message);
    }
}
