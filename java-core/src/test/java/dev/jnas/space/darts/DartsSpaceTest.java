package dev.jnas.space.darts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnas.search.tenas.PruningSpace;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DartsSpaceTest {
    @Test
    void statesTeNasDartsFacts() {
        PruningSpace space = DartsSpace.cifar();
        assertEquals("darts", space.name());
        assertEquals(List.of("normal", "reduce"), space.cellTypes());
        assertEquals(14, space.edges());
        assertEquals(List.of("skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5",
                "avg_pool_3x3", "max_pool_3x3"), space.ops());
        assertEquals(3, space.pruneNumber());
        assertEquals(2, DartsSpace.imageNet().pruneNumber());
        assertEquals(2, space.edgesKeptPerNode());
        List<int[]> groups = space.nodeEdgeGroups();
        assertEquals(4, groups.size());
        int[][] expected = {{0, 2}, {2, 5}, {5, 9}, {9, 14}};
        for (int node = 0; node < expected.length; node++) {
            assertArrayEquals(expected[node], groups.get(node));
        }
    }

    /** The reference's edge keys '0<-0', '0<-1', '1<-0', ..., '3<-4' with the steps renumbered from node 2. */
    @Test
    void labelsEdgesInTheReferenceOrder() {
        List<String> labels = IntStream.range(0, 14).mapToObj(DartsSpace.cifar()::edgeLabel).toList();
        assertEquals(List.of("2<-0", "2<-1", "3<-0", "3<-1", "3<-2", "4<-0", "4<-1", "4<-2", "4<-3", "5<-0", "5<-1",
                "5<-2", "5<-3", "5<-4"), labels);
        for (int edge = 0; edge < 14; edge++) {
            assertEquals(edge, DartsEdge.ALL.get(edge).index());
        }
    }
}
