package dev.jnas.space.darts;

import java.util.Arrays;
import java.util.List;

/**
 * The eight DARTS edge ops, declared in the reference's order (TE-NAS's op list, 'none' first), which is also
 * the column order of the genotype weights ({@link DartsGenotype#derive}). 'none' is never a candidate of the
 * pruning search, so {@link #CANDIDATES} leaves it out.
 */
public enum DartsOp {
    NONE("none"),
    SKIP_CONNECT("skip_connect"),
    SEP_CONV_3X3("sep_conv_3x3"),
    SEP_CONV_5X5("sep_conv_5x5"),
    DIL_CONV_3X3("dil_conv_3x3"),
    DIL_CONV_5X5("dil_conv_5x5"),
    AVG_POOL_3X3("avg_pool_3x3"),
    MAX_POOL_3X3("max_pool_3x3");

    /** Every op but 'none', in order: the branches of a mixed edge and the ops of an {@code OpMask}. */
    public static final List<DartsOp> CANDIDATES = Arrays.stream(values()).filter(op -> op != NONE).toList();

    private final String referenceName;

    DartsOp(String referenceName) {
        this.referenceName = referenceName;
    }

    /** The name in DARTS genotypes, e.g. "sep_conv_3x3". */
    public String referenceName() {
        return referenceName;
    }
}
