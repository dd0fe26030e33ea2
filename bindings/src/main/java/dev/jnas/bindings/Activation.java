package dev.jnas.bindings;

/** Elementwise activations ({@code jnas_activation}), applied by {@link GraphBuilder#activation}. */
public enum Activation {
    RELU(0),
    RELU6(1),
    /** x · relu6(x + 3) / 6 */
    HSWISH(2),
    /** 1 / (1 + e^-x) */
    SIGMOID(3),
    /** x · sigmoid(x) (SiLU) */
    SWISH(4),
    /** The tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), Flax's default; not the erf form. */
    GELU(5);

    private final int code;

    Activation(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
