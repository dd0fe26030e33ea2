package dev.jnas.bindings;

/** What made a parameter ({@code jnas_param_role}), e.g. to select every conv/linear weight for the NTK. */
public enum ParamRole {
    WEIGHT(0),
    BIAS(1),
    /** Gamma of a batch, layer or group norm. */
    BN_WEIGHT(2),
    /** Beta of a batch, layer or group norm. */
    BN_BIAS(3),
    /** Running mean or variance of a batch norm: a buffer, never trained. */
    BN_RUNNING(4),
    /** Made by {@link GraphBuilder#param}. */
    FREE(5);

    private final int code;

    ParamRole(int code) {
        this.code = code;
    }

    static ParamRole of(int code) {
        for (ParamRole role : values()) {
            if (role.code == code) {
                return role;
            }
        }
        throw new InternalException("libjnas reported an unknown parameter role " + code);
    }
}
