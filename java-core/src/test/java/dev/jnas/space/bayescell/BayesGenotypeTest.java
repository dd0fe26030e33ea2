package dev.jnas.space.bayescell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BayesGenotypeTest {
    /** The public code's derived cells at λ = 0.01 (CNN/pre_trained/0.01), unlisted edges pruned. */
    private static final String LAMBDA_0_01 = "normal = in0_0: sep5 | in1_0: sep5+max+avg+id | in0_1: max+id"
            + " | in1_1: - | in0_2: id | in1_2: max | in1_3: - | sel_0_3: avg ; reduction = in0_0: id"
            + " | in1_0: sep3+sep5+max+avg | in1_1: max+avg | sel_0_1: - | in1_2: sep3+avg | sel_0_2: - | in1_3: -"
            + " | sel_0_3: sep5";

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void textRoundTripsAndReadsTheKeptOps() {
        BayesGenotype genotype = BayesGenotype.parse(LAMBDA_0_01, CellTopology.PUBLIC_CODE_8);
        assertEquals(LAMBDA_0_01, genotype.toString());
        assertEquals(Set.of(BayesOp.MAX_POOL_3X3, BayesOp.IDENTITY), genotype.normal().ops(BayesEdge.parse("in0_1")));
        assertEquals(Set.of(), genotype.normal().ops(BayesEdge.parse("in1_1")));
        assertEquals(List.of("sep3", "avg"), genotype.opsByCell().get("reduction").get("in1_2"));
        assertEquals(genotype, BayesGenotype.fromOpsByCell(CellTopology.PUBLIC_CODE_8, genotype.opsByCell()));
    }

    /** Ops are written in BayesOp order whatever order the text gives; spaces around names do not matter. */
    @Test
    void opsAreWrittenInCanonicalOrder() {
        DerivedCell cell = DerivedCell.parse("in0_0: id + sep3 | in1_0:- | in0_1: - | in1_1: - | in0_2: - | in1_2: -"
                + " | in1_3: - | sel_0_3: avg+max", CellTopology.PUBLIC_CODE_8, CellType.NORMAL);
        assertEquals("in0_0: sep3+id | in1_0: - | in0_1: - | in1_1: - | in0_2: - | in1_2: - | in1_3: - | sel_0_3: max+avg",
                cell.toString());
    }

    @Test
    void errorsNameTheEdgeAndTheOp() {
        assertMessage("sep7", "in0_1", LAMBDA_0_01.replace("in0_1: max+id", "in0_1: max+sep7"));
        assertMessage("in0_9", "normal", LAMBDA_0_01.replace("in1_1: -", "in0_9: -"));
        assertMessage("in1_1", "no ops", LAMBDA_0_01.replace(" | in1_1: -", ""));
        assertMessage("in1_2", "twice", LAMBDA_0_01.replace("in1_2: max", "in1_2: max | in1_2: avg"));
        assertMessage("max", "twice", LAMBDA_0_01.replace("in1_2: max", "in1_2: max+max"));
        // sel_0_1 is a reduction edge only: the normal 8-edge cell has no such edge.
        assertMessage("sel_0_1", "normal", LAMBDA_0_01.replace("in1_1: -", "sel_0_1: -"));
        assertMessage("reduction", "reduction", LAMBDA_0_01.replace("reduction =", "reduce ="));
    }

    /**
     * The λ = 0.01 cells in the reference's CIFAR evaluation network (C = 36, 18 normal and 2 reduction cells)
     * build and give finite logits.
     */
    @Test
    void referenceCellsBuildTheEvaluationNetwork() {
        BayesLayout layout = BayesLayout.stacked(36, 6, CellTopology.PUBLIC_CODE_8, 3, 32, 10);
        assertEquals(20, layout.cells().size());
        BayesGenotype genotype = BayesGenotype.parse(LAMBDA_0_01, CellTopology.PUBLIC_CODE_8);
        CompiledNet net = CompiledNet.of(engine, layout, graph -> BayesNetwork.build(graph, layout, genotype), 2, -1);
        float[] logits = net.forward();
        assertEquals(20, logits.length);
        for (float logit : logits) {
            assertTrue(Float.isFinite(logit), Arrays.toString(logits));
        }
    }

    /**
     * A reduction cell whose nodes 1..3 lose every edge outputs exact zeros for them, at the reduced shape:
     * C = 2 doubled to 4 by the reduction, 8x8 in, so each node is [4, 4, 4].
     */
    @Test
    void nodesWithoutEdgesAreZeros() {
        BayesLayout layout = new BayesLayout(2, List.of(CellType.REDUCTION), CellTopology.PUBLIC_CODE_8, 1, 8, 3);
        String normal = LAMBDA_0_01.substring(0, LAMBDA_0_01.indexOf(" ; "));
        BayesGenotype genotype = BayesGenotype.parse(normal + " ; reduction = in0_0: id | in1_0: max | in1_1: -"
                + " | sel_0_1: - | in1_2: - | sel_0_2: - | in1_3: - | sel_0_3: -", CellTopology.PUBLIC_CODE_8);
        try (GraphBuilder graph = GraphBuilder.create()) {
            assertArrayEquals(new long[] {16, 4, 4},
                    graph.nodeShape(BayesNetwork.build(graph, layout, genotype).cellOutputs().get(0)));
        }
        float[] out = CompiledNet.of(engine, layout, graph -> BayesNetwork.build(graph, layout, genotype), 2, 0)
                .forward();
        int perNode = 4 * 4 * 4;
        for (int sample = 0; sample < 2; sample++) {
            int start = sample * 4 * perNode;
            float[] node0 = Arrays.copyOfRange(out, start, start + perNode);
            assertTrue(Arrays.stream(toDoubles(node0)).anyMatch(v -> v != 0), "node 0 keeps two edges");
            assertArrayEquals(new float[3 * perNode], Arrays.copyOfRange(out, start + perNode, start + 4 * perNode));
        }
    }

    @Test
    void genotypeAndLayoutMustShareTheTopology() {
        BayesGenotype genotype = BayesGenotype.parse(LAMBDA_0_01, CellTopology.PUBLIC_CODE_8);
        BayesLayout darts = BayesLayout.fashionMnist().withTopology(CellTopology.DARTS_14);
        try (GraphBuilder graph = GraphBuilder.create()) {
            var e = assertThrows(IllegalArgumentException.class, () -> BayesNetwork.build(graph, darts, genotype));
            assertTrue(e.getMessage().contains("DARTS_14"), e.getMessage());
        }
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static void assertMessage(String first, String second, String text) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> BayesGenotype.parse(text, CellTopology.PUBLIC_CODE_8));
        assertTrue(e.getMessage().contains(first) && e.getMessage().contains(second), e.getMessage());
    }
}
