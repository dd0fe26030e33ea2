package dev.jnas.data;

/** A data set that cannot be read; the message names the file and the problem. */
public final class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
