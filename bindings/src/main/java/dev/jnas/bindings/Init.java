package dev.jnas.bindings;

/** Parameter initializers ({@code jnas_init}); fan_in = in_channels / groups · kh · kw. */
public enum Init {
    /** weight ~ U(±1/√fan_in) (kaiming_uniform with a = √5), bias ~ U(±1/√fan_in). */
    PYTORCH_DEFAULT(0),
    /** weight ~ N(0, 2/fan_in), bias = 0. */
    KAIMING_NORMAL_FAN_IN(1),
    /** weight ~ N(0, 2/fan_out), bias = 0. */
    KAIMING_NORMAL_FAN_OUT(2),
    ZEROS(3),
    ONES(4);

    private final int code;

    Init(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
