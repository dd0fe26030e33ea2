package dev.jnas.space.bayescell;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The seven ops of a BayesNAS edge, in the order of the reference's op switches (sep3, sep5, dil3, dil5, max,
 * avg, ident), which is also the order of an edge's op-switch parameter. There is no "zero" op: the edge's
 * origin switch plays that role.
 */
public enum BayesOp {
    SEP_CONV_3X3("sep3"),
    SEP_CONV_5X5("sep5"),
    DIL_CONV_3X3("dil3"),
    DIL_CONV_5X5("dil5"),
    MAX_POOL_3X3("max"),
    AVG_POOL_3X3("avg"),
    IDENTITY("id");

    private final String shortName;

    BayesOp(String shortName) {
        this.shortName = shortName;
    }

    /** The name in genotype text and switch labels, e.g. "sep5", "id". */
    public String shortName() {
        return shortName;
    }

    /** The op called shortName; where names the text it came from in the error. */
    public static BayesOp parse(String shortName, String where) {
        for (BayesOp op : values()) {
            if (op.shortName.equals(shortName)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown op '" + shortName + "' " + where + " (expected one of "
                + Arrays.stream(values()).map(BayesOp::shortName).collect(Collectors.joining(", ")) + ")");
    }
}
