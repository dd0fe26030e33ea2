package dev.jnas.space.bayescell;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One BayesNAS hyperparameter group: the same switch of the same edge in every cell of one type, e.g. the sep5
 * switch of edge in1_0 in all normal cells. The switches stay per cell (slots, in cell order); the ARD update
 * shares one prior (γ, ω) across them.
 *
 * @param op the op whose switch this is, or empty for the edge's origin switch
 */
public record SwitchGroupSlots(CellType cellType, BayesEdge edge, Optional<BayesOp> op, List<SwitchSlot> slots) {
    /** The label of an origin switch in {@link #switchLabel()}. */
    public static final String ORIGIN = "origin";

    public SwitchGroupSlots {
        Objects.requireNonNull(cellType, "cellType");
        Objects.requireNonNull(edge, "edge");
        Objects.requireNonNull(op, "op");
        slots = List.copyOf(slots);
    }

    /** Whether this is the edge's origin switch (penalized with λ_o, the parent of the op switches). */
    public boolean origin() {
        return op.isEmpty();
    }

    /** "origin" or the op's short name ("sep5"). */
    public String switchLabel() {
        return op.map(BayesOp::shortName).orElse(ORIGIN);
    }

    /** "normal/in1_0/sep5". */
    public String label() {
        return cellType.label() + "/" + edge.name() + "/" + switchLabel();
    }
}
