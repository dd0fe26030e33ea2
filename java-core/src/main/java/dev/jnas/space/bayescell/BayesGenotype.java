package dev.jnas.space.bayescell;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A derived BayesNAS architecture: a normal and a reduction {@link DerivedCell} of one topology. Text form:
 * "normal = CELL ; reduction = CELL", each CELL in {@link DerivedCell}'s form.
 */
public record BayesGenotype(CellTopology topology, DerivedCell normal, DerivedCell reduction) {
    private static final String CELL_SEPARATOR = " ; ";
    private static final String LABEL_SEPARATOR = " = ";

    public BayesGenotype {
        Objects.requireNonNull(topology, "topology");
        check(normal, CellType.NORMAL, topology);
        check(reduction, CellType.REDUCTION, topology);
    }

    /** The genotype of the text form, whose cells have topology. */
    public static BayesGenotype parse(String text, CellTopology topology) {
        String[] parts = Objects.requireNonNull(text, "text").split(CELL_SEPARATOR.trim(), -1);
        if (parts.length != CellType.values().length) {
            throw new IllegalArgumentException("a genotype is 'normal = CELL ; reduction = CELL', got " + parts.length
                    + " parts separated by ';'");
        }
        DerivedCell normal = DerivedCell.parse(body(parts[0], CellType.NORMAL), topology, CellType.NORMAL);
        DerivedCell reduction = DerivedCell.parse(body(parts[1], CellType.REDUCTION), topology, CellType.REDUCTION);
        return new BayesGenotype(topology, normal, reduction);
    }

    /** The cell of a type. */
    public DerivedCell cell(CellType type) {
        return type == CellType.NORMAL ? normal : reduction;
    }

    /** Cell label ("normal", "reduction") → {@link DerivedCell#opsByEdge()}: a JSON-friendly form. */
    public Map<String, Map<String, List<String>>> opsByCell() {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        for (CellType type : CellType.values()) {
            out.put(type.label(), cell(type).opsByEdge());
        }
        return out;
    }

    /** The genotype of {@link #opsByCell()}'s form. */
    public static BayesGenotype fromOpsByCell(CellTopology topology, Map<String, Map<String, List<String>>> cells) {
        for (String label : cells.keySet()) {
            if (Arrays.stream(CellType.values()).noneMatch(type -> type.label().equals(label))) {
                throw new IllegalArgumentException("unknown cell type '" + label + "' (expected normal, reduction)");
            }
        }
        DerivedCell[] parsed = new DerivedCell[CellType.values().length];
        for (CellType type : CellType.values()) {
            Map<String, List<String>> cell = cells.get(type.label());
            if (cell == null) {
                throw new IllegalArgumentException("the genotype has no " + type.label() + " cell");
            }
            parsed[type.ordinal()] = DerivedCell.fromOpsByEdge(topology, type, cell);
        }
        return new BayesGenotype(topology, parsed[CellType.NORMAL.ordinal()], parsed[CellType.REDUCTION.ordinal()]);
    }

    /** "normal = in0_0: sep5 | ... ; reduction = in0_0: id | ...". */
    @Override
    public String toString() {
        return CellType.NORMAL.label() + LABEL_SEPARATOR + normal + CELL_SEPARATOR + CellType.REDUCTION.label()
                + LABEL_SEPARATOR + reduction;
    }

    private static String body(String part, CellType type) {
        String[] labelled = part.split(LABEL_SEPARATOR.trim(), 2);
        if (labelled.length != 2 || !labelled[0].trim().equals(type.label())) {
            throw new IllegalArgumentException("expected '" + type.label() + " = CELL', got '" + part.trim() + "'");
        }
        return labelled[1];
    }

    private static void check(DerivedCell cell, CellType type, CellTopology topology) {
        Objects.requireNonNull(cell, type.label());
        if (cell.type() != type || cell.topology() != topology) {
            throw new IllegalArgumentException("the " + type.label() + " cell must be a " + topology + " "
                    + type.label() + " cell, got a " + cell.topology() + " " + cell.type().label() + " cell");
        }
    }
}
