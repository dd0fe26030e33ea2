package dev.jnas.space.bayescell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the switches do to a supernet's outputs and gradients. */
class SwitchSemanticsTest {
    private static final int BATCH = 4;
    private static final int C = 2;
    /** One normal cell then one reduction cell, C = 2, on 1x8x8 images, 3 classes. */
    private static final BayesLayout SMALL = new BayesLayout(C, List.of(CellType.NORMAL, CellType.REDUCTION),
            CellTopology.PUBLIC_CODE_8, 1, 8, 3);
    private static final BayesEdge IN0_0 = BayesEdge.parse("in0_0");

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /**
     * With every switch 1, the supernet computes the stand-alone net that keeps every op of every edge; with
     * cell 0's in0_0 origin switch at 0 it computes the stand-alone net whose in0_0 is pruned (the gated
     * input is zero, and each op maps zero to zero while BN's beta is 0, as at initialization). Both stand-alone
     * nets get the supernet's weights by name.
     */
    @Test
    void originSwitchAtZeroRemovesTheEdge() {
        CompiledNet supernet = CompiledNet.supernet(engine, SMALL, BATCH, -1);
        assertArrayEquals(supernet.forward(), standAloneLogits(supernet, Map.of()), 1e-5f);
        supernet.write(BayesSwitches.originName("cell0", IN0_0), 0f);
        float[] pruned = supernet.forward();
        assertArrayEquals(pruned, standAloneLogits(supernet, Map.of(IN0_0, Set.of())), 1e-5f);
        assertNotEquals(0f, maxAbsDifference(pruned, standAloneLogits(supernet, Map.of())), "the edge must matter");
    }

    /**
     * Node 0 of cell 0 is E(in0_0) + E(in1_0), linear in each op switch of in0_0: the output with s_k = 2 minus
     * the one with s_k = 0 is twice op k's contribution (s_k = 1 minus s_k = 0), for every op.
     */
    @Test
    void opSwitchesScaleTheirOps() {
        CompiledNet cell = CompiledNet.supernet(engine, SMALL, BATCH, 0);
        String ops = BayesSwitches.opsName("cell0", IN0_0);
        for (BayesOp op : BayesOp.values()) {
            float[] switches = {1, 1, 1, 1, 1, 1, 1};
            float[][] outputs = new float[3][];
            for (int value = 0; value <= 2; value++) {
                switches[op.ordinal()] = value;
                cell.write(ops, switches);
                outputs[value] = node0(cell.forward());
            }
            double contribution = 0;
            for (int i = 0; i < outputs[0].length; i++) {
                float single = outputs[1][i] - outputs[0][i];
                contribution = Math.max(contribution, Math.abs(single));
                assertEquals(2 * single, outputs[2][i] - outputs[0][i], 1e-4, op + " at " + i);
            }
            assertTrue(contribution > 1e-3, op + " must contribute");
        }
    }

    /** After one backward, every switch of the small supernet has a non-zero gradient. */
    @Test
    void everySwitchGetsAGradient() {
        CompiledNet supernet = CompiledNet.supernet(engine, SMALL, BATCH, -1);
        backward(supernet, weights(supernet));
        for (SwitchGroupSlots group : BayesSwitches.groups(SMALL)) {
            for (SwitchSlot slot : group.slots()) {
                float gradient = supernet.net().readGrad(supernet.net().findParam(slot.parameter()))[slot.index()];
                assertNotEquals(0f, gradient, group.label() + " in " + slot.parameter());
            }
        }
    }

    /**
     * dL/ds₀ of every origin switch (L = Σ r ⊙ logits, fixed random r) against central differences
     * (L(s₀ + ε) - L(s₀ - ε)) / 2ε, as a vector over the switches, by relative norm.
     */
    @Test
    void originSwitchGradientsMatchFiniteDifferences() {
        CompiledNet supernet = CompiledNet.supernet(engine, SMALL, BATCH, -1);
        float[] r = weights(supernet);
        backward(supernet, r);
        List<SwitchSlot> origins = BayesSwitches.groups(SMALL).stream()
                .filter(SwitchGroupSlots::origin)
                .flatMap(group -> group.slots().stream())
                .toList();
        // Small enough that the curvature through BN and cell 0's successors stays well under the tolerance.
        double eps = 3e-3;
        double squaredError = 0;
        double squaredNorm = 0;
        for (SwitchSlot slot : origins) {
            double analytic = supernet.net().readGrad(supernet.net().findParam(slot.parameter()))[slot.index()];
            supernet.set(slot, (float) (1 + eps));
            double plus = dot(r, supernet.forward());
            supernet.set(slot, (float) (1 - eps));
            double minus = dot(r, supernet.forward());
            supernet.set(slot, 1f);
            double numeric = (plus - minus) / (2 * eps);
            squaredError += (analytic - numeric) * (analytic - numeric);
            squaredNorm += numeric * numeric;
        }
        assertTrue(squaredNorm > 0);
        assertTrue(Math.sqrt(squaredError / squaredNorm) < 1e-2,
                "relative error " + Math.sqrt(squaredError / squaredNorm));
    }

    /** The stand-alone logits of the supernet's weights, every op kept except where kept says otherwise. */
    private float[] standAloneLogits(CompiledNet supernet, Map<BayesEdge, Set<BayesOp>> kept) {
        Map<CellType, DerivedCell> cells = new LinkedHashMap<>();
        for (CellType type : CellType.values()) {
            Map<BayesEdge, Set<BayesOp>> ops = new LinkedHashMap<>();
            for (BayesEdge edge : SMALL.topology().edges(type)) {
                ops.put(edge, type == CellType.NORMAL ? kept.getOrDefault(edge, EnumSet.allOf(BayesOp.class))
                        : EnumSet.allOf(BayesOp.class));
            }
            cells.put(type, new DerivedCell(SMALL.topology(), type, ops));
        }
        BayesGenotype genotype = new BayesGenotype(SMALL.topology(), cells.get(CellType.NORMAL),
                cells.get(CellType.REDUCTION));
        CompiledNet standAlone = CompiledNet.of(engine, SMALL, graph -> BayesNetwork.build(graph, SMALL, genotype),
                BATCH, -1);
        Net from = supernet.net();
        Net to = standAlone.net();
        for (int slot = 0; slot < to.paramCount(); slot++) {
            to.writeParam(slot, from.readParam(from.findParam(to.paramName(slot))));
        }
        return standAlone.forward();
    }

    /** Node 0's channels [0, C) of every sample of a cell output [B, 4C, 8, 8]. */
    private static float[] node0(float[] cell) {
        int perNode = C * 8 * 8;
        float[] out = new float[BATCH * perNode];
        for (int sample = 0; sample < BATCH; sample++) {
            System.arraycopy(cell, sample * BayesEdge.NODES * perNode, out, sample * perNode, perNode);
        }
        return out;
    }

    private static float[] weights(CompiledNet net) {
        SplittableRandom random = new SplittableRandom(CompiledNet.SEED);
        float[] r = new float[BATCH * SMALL.classes()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) random.nextDouble(-1, 1);
        }
        return r;
    }

    private void backward(CompiledNet supernet, float[] r) {
        supernet.net().zeroGrad();
        supernet.forward();
        try (Tensor gradient = engine.tensor(BATCH, SMALL.classes())) {
            gradient.write(r);
            supernet.net().backward(gradient);
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
