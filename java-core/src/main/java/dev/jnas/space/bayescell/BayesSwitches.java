package dev.jnas.space.bayescell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The names of a supernet's switch parameters and their grouping. Every edge of cell "cellI" has two trainable
 * free parameters, initialized to 1: "switch.cellI.EDGE.origin" ([1], the gate s₀ on the edge's input) and
 * "switch.cellI.EDGE.ops" ([7], one gate per {@link BayesOp}, in its order).
 */
public final class BayesSwitches {
    private static final String PREFIX = "switch.";

    private BayesSwitches() {
    }

    public static String originName(String cell, BayesEdge edge) {
        return PREFIX + cell + "." + edge.name() + ".origin";
    }

    public static String opsName(String cell, BayesEdge edge) {
        return PREFIX + cell + "." + edge.name() + ".ops";
    }

    /** Whether a parameter name is a switch's (the search steps these apart from the weights). */
    public static boolean isSwitch(String parameter) {
        return parameter.startsWith(PREFIX);
    }

    /**
     * Every (cell type, edge, switch) group of the layout's supernet: for each cell type present, edge by edge
     * in topology order, the origin switch and then the seven op switches, each with its slots over the cells
     * of that type.
     */
    public static List<SwitchGroupSlots> groups(BayesLayout layout) {
        List<SwitchGroupSlots> groups = new ArrayList<>();
        for (CellType type : CellType.values()) {
            List<String> cells = IntStream.range(0, layout.cells().size())
                    .filter(index -> layout.cells().get(index) == type)
                    .mapToObj(BayesLayout::cellName)
                    .toList();
            if (cells.isEmpty()) {
                continue;
            }
            for (BayesEdge edge : layout.topology().edges(type)) {
                groups.add(new SwitchGroupSlots(type, edge, Optional.empty(),
                        cells.stream().map(cell -> new SwitchSlot(originName(cell, edge), 0)).toList()));
                for (BayesOp op : BayesOp.values()) {
                    groups.add(new SwitchGroupSlots(type, edge, Optional.of(op),
                            cells.stream().map(cell -> new SwitchSlot(opsName(cell, edge), op.ordinal())).toList()));
                }
            }
        }
        return List.copyOf(groups);
    }
}
