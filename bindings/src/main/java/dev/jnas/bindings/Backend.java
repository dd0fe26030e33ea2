package dev.jnas.bindings;

/** Where a context runs its kernels ({@code jnas_backend}). */
public enum Backend {
    CPU(0),
    CUDA(1);

    private final int code;

    Backend(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static Backend of(int code) {
        for (Backend backend : values()) {
            if (backend.code == code) {
                return backend;
            }
        }
        throw new InternalException("libjnas reported an unknown backend " + code);
    }
}
