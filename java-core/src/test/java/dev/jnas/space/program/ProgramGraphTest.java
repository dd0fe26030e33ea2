package dev.jnas.space.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ProgramGraphTest {

    @Test
    void ordersOpsTopologicallyKeepingTheAddedOrderOfReadyOps() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.of(OpType.ADD, "sum", "left", "right"));
        graph.add(Op.of(OpType.RELU, "right", "x"));
        graph.add(Op.of(OpType.SIGMOID, "left", "x"));
        graph.add(Op.of(OpType.IDENTITY, "out", "sum"));
        ProgramGraph built = graph.output("out").build();
        assertEquals(List.of("right", "left", "sum", "out"), built.ops().stream().map(Op::name).toList());
        assertEquals(List.of("right", "left"), built.consumers("x").stream().map(Op::name).toList());
        assertEquals(List.of(), built.consumers("out"));
    }

    @Test
    void rejectsADuplicateName() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.of(OpType.RELU, "a", "x"));
        graph.add(Op.of(OpType.GELU, "a", "x"));
        assertMessage("duplicate tensor name 'a': op 'a' (GELU) reuses the name of an input or an earlier op",
                graph.output("a")::build);
        ProgramGraph.Builder shadowing = ProgramGraph.builder().input("x");
        shadowing.add(Op.of(OpType.RELU, "x", "x"));
        assertMessage("duplicate tensor name 'x': op 'x' (RELU) reuses the name of an input or an earlier op",
                shadowing.output("x")::build);
    }

    @Test
    void rejectsAnUnknownInput() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.of(OpType.ADD, "sum", "x", "y"));
        assertMessage("op 'sum' (ADD) reads unknown tensor 'y'", graph.output("sum")::build);
    }

    @Test
    void rejectsACycle() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.of(OpType.ADD, "a", "x", "c"));
        graph.add(Op.of(OpType.RELU, "b", "a"));
        graph.add(Op.of(OpType.RELU, "c", "b"));
        graph.add(Op.of(OpType.RELU, "d", "c"));
        assertMessage("the ops [a, b, c, d] form a cycle (or read one)", graph.output("d")::build);
    }

    @Test
    void rejectsBadOutputsAndBlocks() {
        assertMessage("output 'y' is not a tensor of the graph", ProgramGraph.builder().input("x").output("y")::build);
        assertMessage("a program graph needs at least one output", ProgramGraph.builder().input("x")::build);
        assertMessage("a program graph needs at least one input", ProgramGraph.builder()::build);
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.of(OpType.RELU, "a", "x"));
        graph.output("a").block("first", List.of("a")).block("second", List.of("a"));
        assertMessage("op 'a' is in both block 'first' and block 'second'", graph::build);
        ProgramGraph.Builder unknown = ProgramGraph.builder().input("x").output("x").block("b", List.of("zz"));
        assertMessage("block 'b' lists unknown op 'zz'", unknown::build);
    }

    @Test
    void opsCheckTheirArityAndSettings() {
        assertMessage("op 'a' (ADD) reads 2 tensors, got [x]", () -> Op.of(OpType.ADD, "a", "x"));
        assertMessage("op 'c' (CONV) takes Conv settings, got None[]", () -> Op.of(OpType.CONV, "c", "x"));
        assertMessage("SAME padding needs an odd effective kernel, got kernel 2 with dilation 1",
                () -> Op.conv("c", "x", FeatureCount.of(3), 2, 1));
        assertMessage("a dropout rate lies in [0, 1), got 1.0",
                () -> Op.dropout("d", "x", 1));
        assertMessage("a global pool has no stride, got 2", () -> Op.avgPool("p", "x", 0, 2));
    }

    @Test
    void featureCountsParseAndResolve() {
        assertEquals(FeatureCount.of(64), FeatureCount.parse("64"));
        assertEquals(FeatureCount.times(2), FeatureCount.parse("*2"));
        assertEquals(FeatureCount.dividedBy(4), FeatureCount.parse("/4"));
        assertEquals("/4", FeatureCount.dividedBy(4).toString());
        assertEquals(12, FeatureCount.dividedBy(4).resolve(48, "c"));
        assertEquals(96, FeatureCount.times(2).resolve(48, "c"));
        assertMessage("op 'c': 6 input features are not divisible by 4",
                () -> FeatureCount.dividedBy(4).resolve(6, "c"));
        assertMessage("a feature count is written 64, *2 or /4, got 'x2'", () -> FeatureCount.parse("x2"));
    }

    private static void assertMessage(String message, Executable executable) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, executable).getMessage());
    }
}
