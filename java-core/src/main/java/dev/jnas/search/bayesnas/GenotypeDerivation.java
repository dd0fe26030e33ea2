package dev.jnas.search.bayesnas;

import dev.jnas.space.bayescell.BayesEdge;
import dev.jnas.space.bayescell.BayesGenotype;
import dev.jnas.space.bayescell.BayesOp;
import dev.jnas.space.bayescell.CellTopology;
import dev.jnas.space.bayescell.CellType;
import dev.jnas.space.bayescell.DerivedCell;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The automatic pruning the public code left to hand edits: every edge of the normal and the reduction cell keeps
 * the ops {@link EntropyRule#survivingOps} lets through, judged on the groups' γ (an edge whose origin switch is
 * pruned keeps none, whatever its ops' γ).
 */
public final class GenotypeDerivation {
    private GenotypeDerivation() {
    }

    private record Key(CellType type, BayesEdge edge, Optional<BayesOp> op) {
    }

    /** The genotype of the last update of every switch group of a topology, both cell types present. */
    public static BayesGenotype derive(CellTopology topology, List<GroupUpdate> updates) {
        Map<Key, Double> gammas = new HashMap<>();
        for (GroupUpdate update : updates) {
            Key key = new Key(update.group().cellType(), update.group().edge(), update.group().op());
            if (gammas.put(key, update.gamma()) != null) {
                throw new IllegalArgumentException("switch group " + update.group().label() + " is updated twice");
            }
        }
        Map<CellType, DerivedCell> cells = new LinkedHashMap<>();
        for (CellType type : CellType.values()) {
            Map<BayesEdge, Set<BayesOp>> kept = new LinkedHashMap<>();
            for (BayesEdge edge : topology.edges(type)) {
                double edgeGamma = gamma(gammas, new Key(type, edge, Optional.empty()));
                double[] opGammas = new double[BayesOp.values().length];
                for (BayesOp op : BayesOp.values()) {
                    opGammas[op.ordinal()] = gamma(gammas, new Key(type, edge, Optional.of(op)));
                }
                boolean[] survives = EntropyRule.survivingOps(edgeGamma, opGammas);
                Set<BayesOp> ops = EnumSet.noneOf(BayesOp.class);
                for (BayesOp op : BayesOp.values()) {
                    if (survives[op.ordinal()]) {
                        ops.add(op);
                    }
                }
                kept.put(edge, ops);
            }
            cells.put(type, new DerivedCell(topology, type, kept));
        }
        return new BayesGenotype(topology, cells.get(CellType.NORMAL), cells.get(CellType.REDUCTION));
    }

    private static double gamma(Map<Key, Double> gammas, Key key) {
        Double gamma = gammas.get(key);
        if (gamma == null) {
            throw new IllegalArgumentException("no update of switch " + key.op().map(BayesOp::shortName).orElse("origin")
                    + " of edge " + key.edge().name() + " in the " + key.type().label() + " cells");
        }
        return gamma;
    }
}
