package dev.jnas.space.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ShapeInferenceTest {

    @Test
    void resnet20HalvesTheImageAndDoublesTheChannelsPerStage() {
        ProgramGraph resnet = SeedModels.resnet20(10);
        TensorShapes shapes = ShapeInference.infer(resnet, TensorShape.of(4, 3, 32, 32));
        assertEquals(TensorShape.of(4, 16, 32, 32), shapes.of("stage1.block2.relu2"));
        assertEquals(TensorShape.of(4, 32, 16, 16), shapes.of("stage2.block0.shortcut.bn"));
        assertEquals(TensorShape.of(4, 64, 8, 8), shapes.of("stage3.block2.relu2"));
        assertEquals(TensorShape.of(4, 64), shapes.of("pool"));
        assertEquals(TensorShape.of(4, 10), shapes.of(SeedModels.OUTPUT));
    }

    @Test
    void smallCnnFlattensSevenBySevenMaps() {
        TensorShapes shapes = ShapeInference.infer(SeedModels.smallCnn(10), TensorShape.of(2, 1, 28, 28));
        assertEquals(TensorShape.of(2, 32, 7, 7), shapes.of("block2.pool"));
        assertEquals(TensorShape.of(2, 32 * 7 * 7), shapes.of("flatten"));
    }

    /** SAME convs give ceil(size / stride); pools without padding (size − window) / stride + 1. */
    @Test
    void windowsAndRelativeFeatures() {
        TensorShape x = TensorShape.of(2, 6, 9, 10);
        assertEquals(TensorShape.of(2, 12, 5, 5), output(Op.conv("c", "x", FeatureCount.times(2), 3, 2), x));
        assertEquals(TensorShape.of(2, 3, 3, 4), output(Op.conv("c", "x", FeatureCount.dividedBy(2), 5, 3, 3, 1), x));
        assertEquals(TensorShape.of(2, 6, 3, 3), output(Op.maxPool("p", "x", 3, 3), x));
        assertEquals(TensorShape.of(2, 6, 7, 8), output(Op.avgPool("p", "x", 3, 1), x));
        assertEquals(TensorShape.of(2, 6), output(Op.avgPool("p", "x", 0, 1), x));
        assertEquals(TensorShape.of(2, 540), output(Op.of(OpType.FLATTEN, "f", "x"), x));
        assertEquals(TensorShape.of(2, 24), output(Op.dense("d", "x", FeatureCount.times(4)), TensorShape.of(2, 6)));
    }

    @Test
    void errorsNameTheOp() {
        TensorShape x = TensorShape.of(2, 6, 9, 10);
        assertMessage("op 'd' (DENSE) needs a rank-2 input, got [2, 6, 9, 10]",
                () -> output(Op.dense("d", "x", FeatureCount.of(3)), x));
        assertMessage("op 'c' (CONV) needs a rank-4 input, got [2, 6]",
                () -> output(Op.conv("c", "x", FeatureCount.of(3), 3, 1), TensorShape.of(2, 6)));
        assertMessage("op 'c' (CONV): 6 input and 4 output channels do not split into 4 groups",
                () -> output(Op.conv("c", "x", FeatureCount.of(4), 3, 1, 4, 1), x));
        assertMessage("op 'c': 6 input features are not divisible by 4",
                () -> output(Op.conv("c", "x", FeatureCount.dividedBy(4), 3, 1), x));
        assertMessage("op 'g' (GROUP_NORM): 6 channels do not split into 4 groups",
                () -> output(Op.groupNorm("g", "x", 4), x));
        assertMessage("op 'p' (MAX_POOL): window 10 exceeds the 9x10 input",
                () -> output(Op.maxPool("p", "x", 10, 1), x));
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.avgPool("p", "x", 2, 2));
        graph.add(Op.of(OpType.ADD, "sum", "x", "p"));
        ProgramGraph mismatched = graph.output("sum").build();
        assertMessage("op 'sum' (ADD) combines tensors of different shapes [2, 6, 9, 10] and [2, 6, 4, 5]",
                () -> ShapeInference.infer(mismatched, x));
        assertMessage("no shape given for graph input 'x'", () -> ShapeInference.infer(mismatched, Map.of()));
    }

    private static TensorShape output(Op op, TensorShape x) {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(op);
        return ShapeInference.infer(graph.output(op.name()).build(), x).of(op.name());
    }

    private static void assertMessage(String message, Executable executable) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, executable).getMessage());
    }
}
