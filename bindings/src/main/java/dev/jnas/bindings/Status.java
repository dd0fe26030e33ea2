package dev.jnas.bindings;

/** The status codes of jnas.h ({@code jnas_status}), with the same numbers. */
public enum Status {
    OK(0),
    INVALID_ARGUMENT(1),
    SHAPE(2),
    NO_DEVICE(3),
    OUT_OF_MEMORY(4),
    STATE(5),
    UNSUPPORTED(6),
    INTERNAL(7);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status for a native code; an unknown code (a newer libjnas) counts as INTERNAL. */
    public static Status of(int code) {
        for (Status status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        return INTERNAL;
    }
}
