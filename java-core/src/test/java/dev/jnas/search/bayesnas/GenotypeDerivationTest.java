package dev.jnas.search.bayesnas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.bayescell.BayesEdge;
import dev.jnas.space.bayescell.BayesGenotype;
import dev.jnas.space.bayescell.BayesOp;
import dev.jnas.space.bayescell.BayesSwitches;
import dev.jnas.space.bayescell.CellType;
import dev.jnas.space.bayescell.SwitchGroupSlots;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class GenotypeDerivationTest {
    private static final double KEPT = 0.5;
    private static final double PRUNED = 0.05;

    /**
     * Normal in1_0's origin is pruned while its ops' γ alone would keep them: the edge keeps nothing (HARD). On
     * normal in0_0 only sep5 and id survive; everything else keeps every op.
     */
    @Test
    void aPrunedOriginPrunesItsOpsAndOpsArePrunedOneByOne() {
        BayesEdge in10 = BayesEdge.parse("in1_0");
        BayesEdge in00 = BayesEdge.parse("in0_0");
        BayesGenotype genotype = derive(group -> {
            if (group.cellType() != CellType.NORMAL) {
                return KEPT;
            }
            if (group.edge().equals(in10) && group.origin()) {
                return PRUNED;
            }
            if (group.edge().equals(in00) && group.op().isPresent()) {
                return Set.of(BayesOp.SEP_CONV_5X5, BayesOp.IDENTITY).contains(group.op().get()) ? KEPT : PRUNED;
            }
            return KEPT;
        });
        assertEquals(Set.of(), genotype.normal().ops(in10));
        assertEquals(EnumSet.of(BayesOp.SEP_CONV_5X5, BayesOp.IDENTITY), genotype.normal().ops(in00));
        assertEquals(EnumSet.allOf(BayesOp.class), genotype.normal().ops(BayesEdge.parse("sel_0_3")));
        for (BayesEdge edge : TinySearch.LAYOUT.topology().edges(CellType.REDUCTION)) {
            assertEquals(EnumSet.allOf(BayesOp.class), genotype.reduction().ops(edge));
        }
    }

    /** The threshold itself prunes (entropy 0), just above it keeps. */
    @Test
    void theThresholdIsInclusive() {
        BayesGenotype genotype = derive(group -> group.op().equals(Optional.of(BayesOp.MAX_POOL_3X3))
                ? EntropyRule.VARIANCE_THRESHOLD : Math.nextUp(EntropyRule.VARIANCE_THRESHOLD));
        assertEquals(EnumSet.complementOf(EnumSet.of(BayesOp.MAX_POOL_3X3)),
                genotype.normal().ops(BayesEdge.parse("in0_0")));
    }

    @Test
    void aMissingGroupIsNamed() {
        List<GroupUpdate> updates = updates(group -> KEPT);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GenotypeDerivation.derive(TinySearch.LAYOUT.topology(), updates.subList(1, updates.size())));
        assertTrue(error.getMessage().contains("origin of edge in0_0 in the normal cells"), error.getMessage());
    }

    private static BayesGenotype derive(ToDoubleFunction<SwitchGroupSlots> gamma) {
        return GenotypeDerivation.derive(TinySearch.LAYOUT.topology(), updates(gamma));
    }

    private static List<GroupUpdate> updates(ToDoubleFunction<SwitchGroupSlots> gamma) {
        return BayesSwitches.groups(TinySearch.LAYOUT).stream().map(group -> {
            double[] cells = new double[group.slots().size()];
            return new GroupUpdate(group, cells, cells, cells, 1, gamma.applyAsDouble(group));
        }).toList();
    }
}
