package dev.jnas.search.tenas;

import java.util.Locale;

/** What changes between the repeats of a round. */
public enum RepeatDraws {
    /** Fresh weights and fresh inputs per repeat, as TE-NAS's paper says. */
    FRESH,
    /** Weights drawn once per round, only the inputs change per repeat: what TE-NAS's public code does. */
    INPUTS_ONLY;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static RepeatDraws parse(String name) {
        for (RepeatDraws draws : values()) {
            if (draws.optionName().equals(name)) {
                return draws;
            }
        }
        throw new IllegalArgumentException("unknown --repeat-draws '" + name + "'; known: fresh, inputs-only");
    }
}
