package dev.jnas.search.alphanas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.space.program.ProgramGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubgraphTest {

    @Test
    void aRegionReadsFromOutsideAndWritesWhatIsReadOutside() {
        ProgramGraph graph = HandCheckedGraphs.mixerBlock();
        Subgraph region = Subgraph.ofOps(graph, List.of("token.add", "token.gelu", "token.mix", "channel.norm"));
        assertEquals(List.of("token.norm", "x"), region.inputs());
        assertEquals(List.of("token.add", "channel.norm"), region.outputs());
        assertEquals(List.of("token.mix", "token.gelu", "token.add", "channel.norm"),
                region.orderedOps().stream().map(op -> op.name()).toList());
    }

    @Test
    void theWholeGraphRunsFromItsInputsToItsOutputs() {
        Subgraph whole = Subgraph.whole(HandCheckedGraphs.convStack());
        assertEquals(List.of("x"), whole.inputs());
        assertEquals(List.of("relu2"), whole.outputs());
    }

    @Test
    void rejectsUnknownAndMissingOps() {
        ProgramGraph graph = HandCheckedGraphs.convStack();
        assertEquals("no op 'conv9' in the graph", assertThrows(IllegalArgumentException.class,
                () -> Subgraph.ofOps(graph, List.of("conv9"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Subgraph.ofOps(graph, List.of()));
        assertEquals("no block 'stage1' in the graph",
                assertThrows(IllegalArgumentException.class, () -> Subgraph.ofBlock(graph, "stage1")).getMessage());
    }
}
