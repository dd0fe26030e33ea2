package dev.jnas.space.bayescell;

/**
 * The two kinds of BayesNAS cell. A reduction cell halves the resolution on its edges from the cell inputs and
 * doubles the channels; the switch hyperparameters are shared across the cells of one type.
 */
public enum CellType {
    NORMAL("normal"),
    REDUCTION("reduction");

    private final String label;

    CellType(String label) {
        this.label = label;
    }

    /** "normal" or "reduction", as in genotype text. */
    public String label() {
        return label;
    }

    /** 2 on a reduction cell's edges from the cell inputs, else 1 (edges between nodes keep the resolution). */
    public int stride(BayesEdge edge) {
        return this == REDUCTION && edge.fromInput() ? 2 : 1;
    }
}
