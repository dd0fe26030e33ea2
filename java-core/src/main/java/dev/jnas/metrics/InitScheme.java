package dev.jnas.metrics;

import dev.jnas.bindings.Init;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How the weights of the scored networks are drawn, by the command-line names of the TE-NAS issue. */
public enum InitScheme {
    /**
     * PyTorch's layer defaults (kaiming-uniform a=√5, BN γ=1 β=0): what TE-NAS's public code effectively
     * used, because its init_model never matched the init name it was given.
     */
    PYTORCH_DEFAULT("pytorch-default", Init.PYTORCH_DEFAULT),
    /** Kaiming normal, fan-in, zero biases: what the TE-NAS paper's text says. */
    KAIMING_NORMAL("kaiming-normal", Init.KAIMING_NORMAL_FAN_IN);

    private final String optionName;
    private final Init init;

    InitScheme(String optionName, Init init) {
        this.optionName = optionName;
        this.init = init;
    }

    public String optionName() {
        return optionName;
    }

    public Init init() {
        return init;
    }

    /** @throws IllegalArgumentException listing the known names */
    public static InitScheme parse(String name) {
        for (InitScheme scheme : values()) {
            if (scheme.optionName.equalsIgnoreCase(name.strip())) {
                return scheme;
            }
        }
        throw new IllegalArgumentException("unknown init '" + name + "'; known: "
                + Arrays.stream(values()).map(InitScheme::optionName).collect(Collectors.joining(", ")));
    }
}
