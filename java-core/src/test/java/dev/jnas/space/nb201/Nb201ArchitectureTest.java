package dev.jnas.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Nb201ArchitectureTest {
    private static final String BEST_CIFAR10 =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    @Test
    void parsesEdgesInNb201Order() {
        Nb201Architecture architecture = Nb201Architecture.parse(BEST_CIFAR10);
        assertEquals(Nb201Op.NOR_CONV_3X3, architecture.op(new Nb201Edge(1, 0)));
        assertEquals(Nb201Op.SKIP_CONNECT, architecture.op(new Nb201Edge(3, 0)));
        assertEquals(Nb201Op.NOR_CONV_1X1, architecture.op(new Nb201Edge(3, 2)));
        assertEquals(BEST_CIFAR10, architecture.toString());
    }

    @Test
    void edgesAreNumberedInStringOrder() {
        for (int i = 0; i < Nb201Edge.ALL.size(); i++) {
            assertEquals(i, Nb201Edge.ALL.get(i).index());
        }
        assertEquals("edge3_1", Nb201Edge.ALL.get(4).paramName());
    }

    @Test
    void ordinalsEnumerateEverySpaceMemberOnceAndRoundTrip() {
        Set<String> seen = new HashSet<>();
        for (int ordinal = 0; ordinal < Nb201Architecture.COUNT; ordinal++) {
            Nb201Architecture architecture = Nb201Architecture.fromOrdinal(ordinal);
            assertEquals(ordinal, architecture.ordinal());
            String text = architecture.toString();
            assertEquals(architecture, Nb201Architecture.parse(text));
            assertTrue(seen.add(text), text);
        }
        assertEquals(Nb201Architecture.COUNT, Nb201Architecture.all().count());
    }

    @Test
    void ordinalReadsEdgeOpsAsBase5WithTheFirstEdgeMostSignificant() {
        assertEquals(0, Nb201Architecture.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|").ordinal());
        assertEquals(4 * 3125 + 1,
                Nb201Architecture.parse("|avg_pool_3x3~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|")
                        .ordinal());
    }

    @Test
    void rejectsEmptyInput() {
        assertMessage("", "empty");
        assertMessage(null, "empty");
    }

    @Test
    void namesAnUnknownOpAndWhereItIs() {
        String text = "|nor_conv_3x3~0|+|nor_conv_3x3~0|conv_5x5~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
        assertMessage(text, "unknown op 'conv_5x5' at offset 33 (node 2, edge from node 1); known ops: none, "
                + "skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3");
    }

    @Test
    void rejectsAnEdgeFromTheWrongNode() {
        String text = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~3|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
        assertMessage(text, "edge 1 of node 2 at offset 33 says '~3' but must come from node 1 ('~1')");
        assertMessage("|none~0|+|none~1|none~0|+|none~0|none~1|none~2|", "edge 0 of node 2 at offset 10 says '~1'");
        assertMessage("|none~x|+|none~0|none~1|+|none~0|none~1|none~2|", "says '~x'");
    }

    @Test
    void rejectsAnEdgeWithoutSource() {
        assertMessage("|none|+|none~0|none~1|+|none~0|none~1|none~2|", "edge 'none' at offset 1 (node 1) has no '~source'");
    }

    @Test
    void rejectsAWrongEdgeCount() {
        assertMessage("|none~0|+|none~0|+|none~0|none~1|none~2|", "node 2 (offset 9) has 1 edge(s) but needs 2");
        assertMessage("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|none~3|", "node 3 (offset 25) has 4 edge(s)");
    }

    @Test
    void rejectsAWrongNodeCount() {
        assertMessage("|none~0|+|none~0|none~1|", "found 2 node group(s) separated by '+' but an NB201 cell has 3");
        assertMessage("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|", "found 4 node group(s)");
    }

    @Test
    void rejectsMissingPipes() {
        assertMessage("none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "expected '|' at offset 0 to open node 1");
        assertMessage("|none~0+|none~0|none~1|+|none~0|none~1|none~2|", "expected '|' at offset 6 to close node 1");
        assertMessage("|none~0|+|none~0|none~1|+", "expected '|' at offset 25 to open node 3");
        assertMessage("|none~0||none~0|none~1|+|none~0|none~1|none~2|", "found 2 node group(s)");
    }

    private static void assertMessage(String text, String expected) {
        ArchitectureFormatException e =
                assertThrows(ArchitectureFormatException.class, () -> Nb201Architecture.parse(text));
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
