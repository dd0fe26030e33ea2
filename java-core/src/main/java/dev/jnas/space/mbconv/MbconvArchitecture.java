package dev.jnas.space.mbconv;

import static dev.jnas.space.mbconv.MbconvLayout.CHOICES;
import static dev.jnas.space.mbconv.MbconvLayout.COLUMNS;
import static dev.jnas.space.mbconv.MbconvLayout.SUB_BLOCKS;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One architecture of the space: a {@link SubBlockChoice} per sub-block of every searchable layer. Sub-block 0
 * never skips (every layer is "static", as in the reference), so each layer keeps an expansion of at least 1.
 *
 * <p>Encoded as the reference's layer-major matrix of {@link MbconvLayout#COLUMNS} columns per layer
 * ({@link #oneHot()}, {@link #fromLogits}), and written as text: the layers joined by '|', each six symbols
 * ({@link SubBlockChoice#symbol()}), e.g. {@code 357xxx|33xxxx}.
 */
public final class MbconvArchitecture {
    private static final char LAYER_SEPARATOR = '|';

    private final SubBlockChoice[][] choices;

    /** @param choices [layer][sub-block], at least one layer of {@value MbconvLayout#SUB_BLOCKS} sub-blocks */
    public MbconvArchitecture(SubBlockChoice[][] choices) {
        Objects.requireNonNull(choices, "choices");
        if (choices.length == 0) {
            throw new IllegalArgumentException("an architecture needs at least 1 layer");
        }
        this.choices = new SubBlockChoice[choices.length][];
        for (int layer = 0; layer < choices.length; layer++) {
            SubBlockChoice[] row = Objects.requireNonNull(choices[layer], "layer " + layer);
            if (row.length != SUB_BLOCKS) {
                throw new IllegalArgumentException("layer " + layer + " has " + row.length + " sub-blocks, expected "
                        + SUB_BLOCKS);
            }
            for (int block = 0; block < SUB_BLOCKS; block++) {
                Objects.requireNonNull(row[block], "layer " + layer + ", sub-block " + block);
            }
            if (row[0] == SubBlockChoice.SKIP) {
                throw new IllegalArgumentException("layer " + layer + ": sub-block 0 is skip, but sub-block 0 never "
                        + "skips");
            }
            this.choices[layer] = row.clone();
        }
    }

    /** The position of a choice in the layer-major encoding of {@link MbconvLayout#COLUMNS} columns per layer. */
    public static int encodingIndex(int layer, int subBlock, SubBlockChoice choice) {
        return subBlockOffset(layer, subBlock) + choice.ordinal();
    }

    /** Where sub-block b's {@link MbconvLayout#CHOICES} entries of layer l start in the encoding. */
    public static int subBlockOffset(int layer, int subBlock) {
        return layer * COLUMNS + subBlock * CHOICES;
    }

    /**
     * The hard architecture of logits (or probabilities): per sub-block the argmax of its
     * entries, ties going to the lowest index. Sub-block 0 takes the argmax of its kernel
     * entries only, as the reference does for static layers.
     *
     * @param logits layer-major, layers · {@link MbconvLayout#COLUMNS} values
     */
    public static MbconvArchitecture fromLogits(float[] logits, int layers) {
        Objects.requireNonNull(logits, "logits");
        if (layers < 1 || logits.length != (long) layers * COLUMNS) {
            throw new IllegalArgumentException("logits has " + logits.length + " values, expected " + layers
                    + " layers x " + COLUMNS);
        }
        SubBlockChoice[][] choices = new SubBlockChoice[layers][SUB_BLOCKS];
        for (int layer = 0; layer < layers; layer++) {
            for (int block = 0; block < SUB_BLOCKS; block++) {
                int candidates = block == 0 ? SubBlockChoice.KERNELS.size() : CHOICES;
                SubBlockChoice best = null;
                float bestValue = 0;
                for (int c = 0; c < candidates; c++) {
                    SubBlockChoice choice = SubBlockChoice.values()[c];
                    float value = logits[encodingIndex(layer, block, choice)];
                    if (Float.isNaN(value)) {
                        throw new IllegalArgumentException("logit of layer " + layer + ", sub-block " + block + ", "
                                + choice + " is NaN");
                    }
                    if (best == null || value > bestValue) {
                        best = choice;
                        bestValue = value;
                    }
                }
                choices[layer][block] = best;
            }
        }
        return new MbconvArchitecture(choices);
    }

    /**
     * Reads the text format.
     *
     * @throws IllegalArgumentException naming the layer, sub-block and symbol that are wrong
     */
    public static MbconvArchitecture parse(String text, int expectedLayers) {
        Objects.requireNonNull(text, "text");
        String[] rows = text.split("\\" + LAYER_SEPARATOR, -1);
        if (rows.length != expectedLayers) {
            throw new IllegalArgumentException("architecture '" + text + "' has " + rows.length + " layers, expected "
                    + expectedLayers);
        }
        SubBlockChoice[][] choices = new SubBlockChoice[rows.length][SUB_BLOCKS];
        for (int layer = 0; layer < rows.length; layer++) {
            String row = rows[layer];
            if (row.length() != SUB_BLOCKS) {
                throw new IllegalArgumentException("layer " + layer + " of architecture '" + text + "' is '" + row
                        + "' with " + row.length() + " symbols, expected " + SUB_BLOCKS);
            }
            for (int block = 0; block < SUB_BLOCKS; block++) {
                char symbol = row.charAt(block);
                int at = layer;
                int of = block;
                choices[layer][block] = SubBlockChoice.bySymbol(symbol).orElseThrow(() -> new IllegalArgumentException(
                        "layer " + at + ", sub-block " + of + " of architecture '" + text + "': unknown symbol '"
                                + symbol + "' (expected one of " + SubBlockChoice.symbols() + ")"));
            }
        }
        return new MbconvArchitecture(choices);
    }

    public int layerCount() {
        return choices.length;
    }

    public SubBlockChoice choice(int layer, int subBlock) {
        return choices[layer][subBlock];
    }

    /** The number of sub-blocks that do not skip: the layer's expansion rate, 1..6. */
    public int expansion(int layer) {
        return (int) Arrays.stream(choices[layer]).filter(c -> c != SubBlockChoice.SKIP).count();
    }

    /** The kernel sizes of the sub-blocks that do not skip, in sub-block order. */
    public int[] kernels(int layer) {
        return Arrays.stream(choices[layer]).filter(c -> c != SubBlockChoice.SKIP).mapToInt(SubBlockChoice::kernel)
                .toArray();
    }

    /** The one-hot encoding: layer-major, a 1 at {@link #encodingIndex} of every sub-block's choice. */
    public float[] oneHot() {
        float[] encoding = new float[choices.length * COLUMNS];
        for (int layer = 0; layer < choices.length; layer++) {
            for (int block = 0; block < SUB_BLOCKS; block++) {
                encoding[encodingIndex(layer, block, choices[layer][block])] = 1;
            }
        }
        return encoding;
    }

    /** The text format, e.g. {@code 357xxx|33xxxx}. */
    @Override
    public String toString() {
        return Arrays.stream(choices)
                .map(row -> Arrays.stream(row).map(c -> String.valueOf(c.symbol())).collect(Collectors.joining()))
                .collect(Collectors.joining(String.valueOf(LAYER_SEPARATOR)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MbconvArchitecture that && Arrays.deepEquals(choices, that.choices);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(choices);
    }
}
