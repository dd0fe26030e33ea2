package dev.jnas.search.sgnas;

import dev.jnas.space.mbconv.MbconvArchitecture;
import dev.jnas.space.mbconv.MbconvLayout;
import dev.jnas.space.mbconv.SubBlockChoice;

/**
 * Checks and indexing for the architecture arrays SGNAS's generator side handles (priors, logits, probabilities):
 * {@link MbconvArchitecture}'s encoding, layer major, one row of {@link MbconvLayout#COLUMNS} columns per
 * searchable layer, column = sub-block · {@link MbconvLayout#CHOICES} + choice (k3, k5, k7, skip).
 *
 * <p>The reference makes every layer "static": sub-block 0 may not skip, so its group has only the first
 * {@value #CHOICES} − 1 choices and its skip entry is always 0.
 */
final class ArchitectureMap {
    static final int SUB_BLOCKS = MbconvLayout.SUB_BLOCKS;
    static final int CHOICES = MbconvLayout.CHOICES;
    static final int SKIP = SubBlockChoice.SKIP.ordinal();
    static final int COLUMNS = MbconvLayout.COLUMNS;

    private ArchitectureMap() {
    }

    /** How many leading choices of a sub-block's group are allowed: all but skip for sub-block 0. */
    static int allowedChoices(int subBlock) {
        return subBlock == 0 ? SKIP : CHOICES;
    }

    /** The index of group (layer, sub-block)'s first entry. */
    static int groupStart(int layer, int subBlock) {
        return MbconvArchitecture.subBlockOffset(layer, subBlock);
    }

    /** @throws IllegalArgumentException unless map holds layers rows of {@value #COLUMNS} values */
    static void requireShape(float[] map, int layers, String what) {
        if (map == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (layers < 1) {
            throw new IllegalArgumentException(what + ": the number of layers must be at least 1, got " + layers);
        }
        if (map.length != (long) layers * COLUMNS) {
            throw new IllegalArgumentException(what + " has " + map.length + " values but " + layers + " layers × "
                    + COLUMNS + " columns need " + (long) layers * COLUMNS);
        }
    }

    /** The number of layers of a map, which must hold a positive whole number of rows. */
    static int layersOf(float[] map, String what) {
        if (map == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (map.length == 0 || map.length % COLUMNS != 0) {
            throw new IllegalArgumentException(what + " has " + map.length + " values, not a positive multiple of "
                    + COLUMNS + " columns");
        }
        return map.length / COLUMNS;
    }
}
