package dev.jnas.search.alphanas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DepthPropertyTest {

    /** conv, BN | ReLU | conv, BN | ReLU: three flips. */
    @Test
    void convStack() {
        assertEquals(Map.of("x", Map.of("relu2", 3)),
                DepthProperty.infer(Subgraph.whole(HandCheckedGraphs.convStack())).depths());
    }

    /** The conv path (conv, BN | ReLU | conv, BN, add | ReLU) beats the shortcut (add | ReLU: one flip). */
    @Test
    void residualBlock() {
        DepthProperty depth = DepthProperty.infer(Subgraph.ofBlock(HandCheckedGraphs.tinyResnet(), "stage1.block1"));
        assertEquals(Map.of("stage1.block0.relu2", Map.of("stage1.block1.relu2", 3)), depth.depths());
    }

    /** Longest path: norm, conv | GELU | add, norm, conv | GELU | conv, add: four flips. */
    @Test
    void mixerBlock() {
        ProgramGraph graph = HandCheckedGraphs.mixerBlock();
        assertEquals(4, DepthProperty.infer(Subgraph.whole(graph)).depth("x", "channel.add"));
        DepthProperty tokens =
                DepthProperty.infer(Subgraph.ofOps(graph, List.of("token.mix", "token.gelu", "token.add")));
        assertEquals(Map.of("token.norm", Map.of("token.add", 2), "x", Map.of("token.add", 0)), tokens.depths());
    }

    /** Identity is neither linear nor not: ReLU, identity, ReLU is no flip; max pool counts as linear. */
    @Test
    void identityIsNeutralAndMaxPoolLinear() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        String y = graph.add(Op.of(OpType.RELU, "relu1", "x"));
        y = graph.add(Op.of(OpType.IDENTITY, "id", y));
        y = graph.add(Op.of(OpType.RELU, "relu2", y));
        y = graph.add(Op.maxPool("pool", y, 2, 2));
        y = graph.add(Op.of(OpType.FLATTEN, "flat", y));
        y = graph.add(Op.dense("dense", y, FeatureCount.of(3)));
        assertEquals(1, DepthProperty.infer(Subgraph.whole(graph.output(y).build())).depth("x", "dense"));
    }

    @Test
    void distancePenalizesOnlyTooShallowCandidates() {
        DepthProperty required = depths(3, 0);
        assertEquals((2 / 3.0 + 0) / 2, required.distanceFrom(depths(1, 5)), 1e-12);
        assertEquals(0, required.distanceFrom(depths(5, 0)));
        assertEquals((0 + 1) / 2.0, required.distanceFrom(new DepthProperty(Map.of("x", Map.of("y", 3)))), 1e-12);
        assertTrue(required.satisfiedBy(depths(3, 1)));
        assertFalse(required.satisfiedBy(depths(2, 1)));
    }

    @Test
    void mutationStepsAreGeometricAndCapped() {
        DepthProperty required = new DepthProperty(Map.of("x", Map.of("y", 5)));
        assertEquals(required, required.mutate(0, new Random(2)));
        assertEquals(required.mutate(0.5, new Random(9)), required.mutate(0.5, new Random(9)));
        int[] counts = new int[11];
        Random random = new Random(5);
        for (int draw = 0; draw < 8000; draw++) {
            counts[required.mutate(0.5, random).depth("x", "y")]++;
        }
        // delta 0, 1, 2 with probabilities 1/2, 1/4, 1/4; the sign is a fair coin.
        assertEquals(4000, counts[5], 150);
        assertEquals(1000, counts[4], 100);
        assertEquals(1000, counts[6], 100);
        assertEquals(1000, counts[3], 100);
        assertEquals(1000, counts[7], 100);
        assertEquals(8000, counts[3] + counts[4] + counts[5] + counts[6] + counts[7]);
    }

    @Test
    void mutationNeverGoesBelowZero() {
        DepthProperty shallow = new DepthProperty(Map.of("x", Map.of("y", 1)));
        Random random = new Random(4);
        for (int draw = 0; draw < 200; draw++) {
            assertTrue(shallow.mutate(1, random).depth("x", "y") >= 0);
        }
    }

    private static DepthProperty depths(int toY, int toZ) {
        return new DepthProperty(Map.of("x", Map.of("y", toY, "z", toZ)));
    }
}
