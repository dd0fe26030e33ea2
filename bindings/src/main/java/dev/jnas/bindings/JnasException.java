package dev.jnas.bindings;

/**
 * A failed libjnas call, or a Java-side check that stands in for one. Carries the status and the message
 * libjnas gave (jnas_last_error), which names the bad argument.
 */
public class JnasException extends RuntimeException {
    private final Status status;
    private final String nativeMessage;

    public JnasException(Status status, String nativeMessage) {
        super(nativeMessage == null || nativeMessage.isEmpty() ? status.name() : nativeMessage);
        this.status = status;
        this.nativeMessage = nativeMessage == null ? "" : nativeMessage;
    }

    public Status status() {
        return status;
    }

    /** The message as libjnas (or the Java-side check) wrote it; "" if there was none. */
    public String nativeMessage() {
        return nativeMessage;
    }

    /** The exception type that matches a status, so callers can catch what they can handle. */
    static JnasException forStatus(Status status, String message) {
        return switch (status) {
            case INVALID_ARGUMENT -> new InvalidArgumentException(message);
            case SHAPE -> new ShapeException(message);
            case NO_DEVICE -> new NoDeviceException(message);
            case OUT_OF_MEMORY -> new OutOfMemoryException(message);
            case STATE -> new StateException(message);
            case UNSUPPORTED -> new UnsupportedException(message);
            case OK, INTERNAL -> new InternalException(message);
        };
    }
}
