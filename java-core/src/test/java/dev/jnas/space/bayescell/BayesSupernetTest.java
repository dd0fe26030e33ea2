package dev.jnas.space.bayescell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Net;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BayesSupernetTest {
    private static final int BATCH = 2;

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** C = 8, norm red norm red norm on 28x28: cells of C 8, 16, 16, 32, 32 output 4C at 28, 14, 14, 7, 7. */
    @Test
    void fashionMnistSupernetGivesFiniteLogitsAndTheExpectedCellShapes() {
        BayesLayout layout = BayesLayout.fashionMnist();
        CompiledNet supernet = CompiledNet.supernet(engine, layout, BATCH, -1);
        assertArrayEquals(new long[] {BATCH, 10}, supernet.net().outputShape(BATCH));
        assertLogitsFinite(supernet.forward());
        assertCellShapes(layout, new long[][] {{32, 28, 28}, {64, 14, 14}, {64, 14, 14}, {128, 7, 7}, {128, 7, 7}});
    }

    /**
     * The reference: C = 36, stem 108, cells norm norm (C 36, 144 out at 32) red norm norm (72, 288 at 16) red norm
     * norm (144, 576 at 8); 8 cells × 8 edges × 8 switches = 512 switch scalars, as the reference counts.
     */
    @Test
    void referenceSupernetRunsWithItsChannelsAndSwitches() {
        BayesLayout layout = BayesLayout.reference();
        assertEquals(List.of(CellType.NORMAL, CellType.NORMAL, CellType.REDUCTION, CellType.NORMAL, CellType.NORMAL,
                CellType.REDUCTION, CellType.NORMAL, CellType.NORMAL), layout.cells());
        assertCellShapes(layout, new long[][] {{144, 32, 32}, {144, 32, 32}, {288, 16, 16}, {288, 16, 16},
                {288, 16, 16}, {576, 8, 8}, {576, 8, 8}, {576, 8, 8}});
        CompiledNet supernet = CompiledNet.supernet(engine, layout, BATCH, -1);
        assertShape(supernet.net(), "stem.conv.weight", 108, 3, 3, 3);
        // Cell 3's in1 is cell 1's output (4 × 36 channels at 32x32), halved before the 1x1 to 72.
        assertShape(supernet.net(), "cell3.in1.reduce.weight", 144, 144, 1, 1);
        assertShape(supernet.net(), "cell3.in1.conv.weight", 72, 144, 1, 1);
        assertShape(supernet.net(), "cell3.in0.conv.weight", 72, 288, 1, 1);
        assertShape(supernet.net(), "cell2.in0_0.id.conv.weight", 72, 72, 1, 1);
        assertShape(supernet.net(), "cell5.in1_2.dil5.conv.weight", 144, 144, 5, 5);
        long switches = 0;
        for (int slot = 0; slot < supernet.net().paramCount(); slot++) {
            if (BayesSwitches.isSwitch(supernet.net().paramName(slot))) {
                assertTrue(supernet.net().isTrainable(slot));
                switches += supernet.net().paramNumel(slot);
            }
        }
        assertEquals(512, switches);
        assertLogitsFinite(supernet.forward());
    }

    /** Node j of a DARTS cell has 2 + j edges: 14 per cell, all in the switch groups. */
    @Test
    void dartsCellsHaveFourteenEdges() {
        BayesLayout layout = BayesLayout.stacked(2, 1, CellTopology.DARTS_14, 1, 8, 3);
        assertEquals(14, CellTopology.DARTS_14.edges(CellType.REDUCTION).size());
        assertEquals(2 * 14 * 8, BayesSwitches.groups(layout).size());
        CompiledNet supernet = CompiledNet.supernet(engine, layout, BATCH, -1);
        assertShape(supernet.net(), BayesSwitches.opsName("cell1", BayesEdge.parse("sel_2_3")), 7);
        assertLogitsFinite(supernet.forward());
    }

    /**
     * The groups of C = 8's layout (3 normal, 2 reduction cells): per type 8 edges × (origin + 7 ops), each with
     * one slot per cell of the type, naming existing switch parameters of the right shape.
     */
    @Test
    void switchGroupsListEverySwitchOncePerCellOfTheirType() {
        BayesLayout layout = BayesLayout.fashionMnist();
        List<SwitchGroupSlots> groups = BayesSwitches.groups(layout);
        assertEquals(2 * 8 * 8, groups.size());
        SwitchGroupSlots first = groups.get(0);
        assertEquals("normal/in0_0/origin", first.label());
        assertEquals(List.of(new SwitchSlot("switch.cell0.in0_0.origin", 0), new SwitchSlot("switch.cell2.in0_0.origin", 0),
                new SwitchSlot("switch.cell4.in0_0.origin", 0)), first.slots());
        SwitchGroupSlots sep5 = groups.get(2);
        assertEquals("normal/in0_0/sep5", sep5.label());
        assertEquals(new SwitchSlot("switch.cell2.in0_0.ops", BayesOp.SEP_CONV_5X5.ordinal()), sep5.slots().get(1));
        SwitchGroupSlots lastReduction = groups.get(groups.size() - 1);
        assertEquals("reduction/sel_0_3/id", lastReduction.label());
        assertEquals(List.of(new SwitchSlot("switch.cell1.sel_0_3.ops", 6), new SwitchSlot("switch.cell3.sel_0_3.ops", 6)),
                lastReduction.slots());
        Net net = CompiledNet.supernet(engine, layout, BATCH, -1).net();
        for (SwitchGroupSlots group : groups) {
            for (SwitchSlot slot : group.slots()) {
                long[] shape = net.paramShape(net.findParam(slot.parameter()));
                assertArrayEquals(new long[] {group.origin() ? 1 : 7}, shape, group.label());
                assertEquals(1f, net.readParam(net.findParam(slot.parameter()))[slot.index()], group.label());
            }
        }
    }

    private void assertCellShapes(BayesLayout layout, long[][] expected) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            BayesGraph nodes = BayesSupernet.build(graph, layout);
            assertEquals(expected.length, nodes.cellOutputs().size());
            for (int cell = 0; cell < expected.length; cell++) {
                assertArrayEquals(expected[cell], graph.nodeShape(nodes.cellOutputs().get(cell)), "cell " + cell);
                assertEquals(expected[cell][0], BayesEdge.NODES * layout.cellChannels(cell));
            }
        }
    }

    private static void assertLogitsFinite(float[] logits) {
        for (float logit : logits) {
            assertTrue(Float.isFinite(logit), Arrays.toString(logits));
        }
        int classes = logits.length / BATCH;
        assertNotEquals(Arrays.toString(Arrays.copyOf(logits, classes)),
                Arrays.toString(Arrays.copyOfRange(logits, classes, logits.length)), "logits must depend on the input");
    }

    private static void assertShape(Net net, String param, long... shape) {
        assertArrayEquals(shape, net.paramShape(net.findParam(param)), param);
    }
}
