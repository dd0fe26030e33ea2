package dev.jnas.search.alphanas.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.SeedModels;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SubgraphSelectorTest {
    private static final ProgramGraph RESNET = SeedModels.resnet20(10);

    /** ResNet-20 has 72 ops: ceil(0.8 · 72) = 58 at most. */
    @Test
    void regionsStayWithinTheBoundsAndGrowOnlyByNeighbours() {
        int ops = RESNET.ops().size();
        assertEquals(72, ops);
        int largest = 0;
        for (int seed = 0; seed < 200; seed++) {
            Subgraph region = SubgraphSelector.cifar().select(RESNET, new SplittableRandom(seed));
            assertTrue(region.ops().size() >= 1 && region.ops().size() <= 58, "size " + region.ops().size());
            assertConnected(region.ops());
            largest = Math.max(largest, region.ops().size());
        }
        assertTrue(largest > 5, "p = 0.75 grows regions, the largest had " + largest);
    }

    @Test
    void certainGrowthStopsAtTheFractionAndNoGrowthKeepsOneOp() {
        for (int seed = 0; seed < 20; seed++) {
            assertEquals(8, new SubgraphSelector(1, 0.1).select(RESNET, new SplittableRandom(seed)).ops().size());
            assertEquals(1, new SubgraphSelector(0, 0.8).select(RESNET, new SplittableRandom(seed)).ops().size());
        }
    }

    @Test
    void aBlockRegionStaysInTheBlock() {
        List<String> block = RESNET.block("stage2.block0").ops();
        for (int seed = 0; seed < 50; seed++) {
            Subgraph region = new SubgraphSelector(1, 1).select(RESNET, block, new SplittableRandom(seed));
            assertEquals(Set.copyOf(block), region.ops());
        }
    }

    @Test
    void rejectsBadSettings() {
        assertEquals("the grow probability lies in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new SubgraphSelector(1.5, 0.5)).getMessage());
        assertEquals("the largest fraction of ops lies in (0, 1], got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new SubgraphSelector(0.5, 0)).getMessage());
    }

    /** Every op of the region is reachable from any other through ops of the region (reads in either direction). */
    private static void assertConnected(Set<String> region) {
        String start = region.iterator().next();
        Set<String> reached = new HashSet<>(List.of(start));
        Set<String> frontier = new LinkedHashSet<>(reached);
        while (!frontier.isEmpty()) {
            String name = frontier.iterator().next();
            frontier.remove(name);
            Set<String> next = new HashSet<>(RESNET.op(name).inputs());
            RESNET.consumers(name).stream().map(Op::name).forEach(next::add);
            for (String neighbour : next) {
                if (region.contains(neighbour) && reached.add(neighbour)) {
                    frontier.add(neighbour);
                }
            }
        }
        assertEquals(region, reached);
    }
}
