package dev.jnas.space.mbconv;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one sub-block of a searchable layer does, in the reference's column order: a depthwise conv of kernel 3,
 * 5 or 7 on its share of the expanded channels, or skip (its channels are zero).
 */
public enum SubBlockChoice {
    K3(3, '3'),
    K5(5, '5'),
    K7(7, '7'),
    SKIP(0, 'x');

    /** The depthwise choices, in column order: every choice but {@link #SKIP}. */
    public static final List<SubBlockChoice> KERNELS = List.of(K3, K5, K7);

    private final int kernel;
    private final char symbol;

    SubBlockChoice(int kernel, char symbol) {
        this.kernel = kernel;
        this.symbol = symbol;
    }

    /** The depthwise kernel size, 0 for {@link #SKIP}. */
    public int kernel() {
        return kernel;
    }

    /** The character in the architecture text format. */
    public char symbol() {
        return symbol;
    }

    /** Every symbol, e.g. for error messages: "3, 5, 7, x". */
    static String symbols() {
        return Arrays.stream(values()).map(c -> String.valueOf(c.symbol)).collect(Collectors.joining(", "));
    }

    static Optional<SubBlockChoice> bySymbol(char symbol) {
        for (SubBlockChoice choice : values()) {
            if (choice.symbol == symbol) {
                return Optional.of(choice);
            }
        }
        return Optional.empty();
    }
}
