package dev.jnas.space.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramTextTest {

    /** Every kind of op settings, relative widths, a non-round scale and two inputs and outputs. */
    private static ProgramGraph everyKindOfOp() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x").input("y");
        String c = graph.add(Op.conv("c", "x", FeatureCount.times(2), 3, 2, 1, 1));
        String d = graph.add(Op.conv("d", c, FeatureCount.dividedBy(4), 5, 1, 2, 2));
        String g = graph.add(Op.groupNorm("g", d, 2));
        String s = graph.add(Op.scalarMul("s", g, 0.1 + 0.2));
        String p = graph.add(Op.maxPool("p", s, 2, 2));
        String a = graph.add(Op.avgPool("a", p, 0, 1));
        String f = graph.add(Op.dense("f", a, FeatureCount.same()));
        String o = graph.add(Op.dropout("o", f, 0.2));
        String m = graph.add(Op.of(OpType.MUL, "m", o, "y"));
        graph.block("head", List.of(f, o));
        return graph.output(m).output(s).build();
    }

    @Test
    void roundTripsExactly() {
        for (ProgramGraph graph : List.of(SeedModels.resnet20(10), SeedModels.smallCnn(10), everyKindOfOp())) {
            String text = ProgramText.format(graph);
            ProgramGraph parsed = ProgramText.parse(text);
            assertEquals(graph.inputs(), parsed.inputs());
            assertEquals(graph.ops(), parsed.ops());
            assertEquals(graph.outputs(), parsed.outputs());
            assertEquals(graph.blocks(), parsed.blocks());
            assertEquals(text, ProgramText.format(parsed));
        }
    }

    @Test
    void writesOneLinePerItemWithSettingsInAFixedOrder() {
        List<String> lines = ProgramText.lines(everyKindOfOp());
        assertEquals(List.of("input x", "input y",
                "op conv c x features=*2 kernel=3 stride=2 groups=1 dilation=1",
                "op conv d c features=/4 kernel=5 stride=1 groups=2 dilation=2",
                "op group_norm g d groups=2",
                "op scalar_mul s g factor=0.30000000000000004",
                "op max_pool p s window=2 stride=2",
                "op avg_pool a p window=0 stride=1",
                "op dense f a features=*1",
                "op dropout o f rate=0.2",
                "op mul m o y",
                "output m", "output s",
                "block head f o"), lines);
    }

    @Test
    void namesTheBadLine() {
        assertMessage("program text line 2 'op relu r': RELU reads 1 tensors", "input x\nop relu r\noutput r");
        assertMessage("program text line 2 'op conv c x features=8': missing setting 'kernel'",
                "input x\nop conv c x features=8\noutput c");
        assertMessage("program text line 2 'op relu r x alpha=1': RELU takes the settings [], got [alpha]",
                "input x\nop relu r x alpha=1\noutput r");
        assertMessage("program text line 1 'node x': a line starts with input, op, output or block, not 'node'",
                "node x");
        assertMessage("unknown op type 'swirl'", "input x\nop swirl s x\noutput s");
        assertMessage("op 'r' (RELU) reads unknown tensor 'z'", "input x\nop relu r z\noutput r");
    }

    @Test
    void refusesNamesWithWhitespace() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.of(OpType.RELU, "my relu", "x"));
        ProgramGraph spaced = graph.output("my relu").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProgramText.format(spaced));
        assertEquals("the name 'my relu' contains whitespace, which program text cannot hold", e.getMessage());
    }

    private static void assertMessage(String expected, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProgramText.parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
