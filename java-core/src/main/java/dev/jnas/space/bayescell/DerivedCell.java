package dev.jnas.space.bayescell;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A cell BayesNAS derived: for every edge of the topology, the set of ops it keeps, summed in the stand-alone
 * network; an empty set is a pruned edge. Text form (one entry per edge, in topology order, ops in
 * {@link BayesOp} order): "in0_0: sep5 | in1_0: sep5+max+avg+id | in0_1: - | ...".
 *
 * @param kept the kept ops of every edge of topology.edges(type), in that order
 */
public record DerivedCell(CellTopology topology, CellType type, Map<BayesEdge, Set<BayesOp>> kept) {
    private static final String ENTRY_SEPARATOR = " | ";
    private static final String OP_SEPARATOR = "+";
    private static final String PRUNED = "-";

    public DerivedCell {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kept, "kept");
        List<BayesEdge> edges = topology.edges(type);
        for (BayesEdge edge : kept.keySet()) {
            if (!edges.contains(edge)) {
                throw new IllegalArgumentException("edge " + edge.name() + " is not in a " + topology + " "
                        + type.label() + " cell");
            }
        }
        Map<BayesEdge, Set<BayesOp>> ordered = new LinkedHashMap<>();
        for (BayesEdge edge : edges) {
            Set<BayesOp> ops = kept.get(edge);
            if (ops == null) {
                throw new IllegalArgumentException("the " + type.label() + " cell gives no ops for edge "
                        + edge.name() + " (write '" + PRUNED + "' for a pruned edge)");
            }
            Set<BayesOp> copy = EnumSet.noneOf(BayesOp.class);
            copy.addAll(ops);
            ordered.put(edge, Collections.unmodifiableSet(copy));
        }
        kept = Collections.unmodifiableMap(ordered);
    }

    /** The cell of the text form; errors name the cell, the edge and the op. */
    public static DerivedCell parse(String text, CellTopology topology, CellType type) {
        Objects.requireNonNull(text, "text");
        Map<String, List<String>> opsByEdge = new LinkedHashMap<>();
        for (String entry : text.split("\\|", -1)) {
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("entry '" + entry.trim() + "' of the " + type.label()
                        + " cell is not 'edge: ops'");
            }
            String edge = entry.substring(0, colon).trim();
            String ops = entry.substring(colon + 1).trim();
            List<String> names = ops.equals(PRUNED) ? List.of() : List.of(ops.split("\\" + OP_SEPARATOR, -1));
            if (opsByEdge.put(edge, names.stream().map(String::trim).toList()) != null) {
                throw new IllegalArgumentException("edge " + edge + " appears twice in the " + type.label() + " cell");
            }
        }
        return fromOpsByEdge(topology, type, opsByEdge);
    }

    /** The cell of {@link #opsByEdge()}'s form (e.g. read from JSON); errors name the cell, the edge and the op. */
    public static DerivedCell fromOpsByEdge(CellTopology topology, CellType type, Map<String, List<String>> opsByEdge) {
        Map<BayesEdge, Set<BayesOp>> kept = new LinkedHashMap<>();
        opsByEdge.forEach((name, ops) -> {
            BayesEdge edge;
            try {
                edge = BayesEdge.parse(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("in the " + type.label() + " cell: " + e.getMessage(), e);
            }
            Set<BayesOp> set = EnumSet.noneOf(BayesOp.class);
            for (String op : ops) {
                String where = "on edge " + name + " of the " + type.label() + " cell";
                if (!set.add(BayesOp.parse(op, where))) {
                    throw new IllegalArgumentException("op '" + op + "' appears twice " + where);
                }
            }
            kept.put(edge, set);
        });
        return new DerivedCell(topology, type, kept);
    }

    /** Edge name → kept op short names, in text order: a JSON-friendly form. */
    public Map<String, List<String>> opsByEdge() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        kept.forEach((edge, ops) -> out.put(edge.name(), ops.stream().map(BayesOp::shortName).toList()));
        return Collections.unmodifiableMap(out);
    }

    /** The ops an edge keeps (empty: pruned). */
    public Set<BayesOp> ops(BayesEdge edge) {
        Set<BayesOp> ops = kept.get(edge);
        if (ops == null) {
            throw new IllegalArgumentException("edge " + edge.name() + " is not in a " + topology + " "
                    + type.label() + " cell");
        }
        return ops;
    }

    /** The text form, e.g. "in0_0: sep5 | in1_0: sep5+max+avg+id | in0_1: - | ...". */
    @Override
    public String toString() {
        return kept.entrySet().stream()
                .map(entry -> entry.getKey().name() + ": " + (entry.getValue().isEmpty() ? PRUNED
                        : entry.getValue().stream().map(BayesOp::shortName).collect(Collectors.joining(OP_SEPARATOR))))
                .collect(Collectors.joining(ENTRY_SEPARATOR));
    }
}
