package dev.jnas.space.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.GraphMacs;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.models.SmallCnn;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramLoweringTest {
    private static final TensorShape CIFAR = TensorShape.of(2, 3, 32, 32);
    private static final TensorShape FASHION = TensorShape.of(2, 1, 28, 28);

    /**
     * ResNet-20's convs per sample: stem 16·1024·9·3 = 442,368; stage 1, six 16→16 convs at 32x32: 14,155,776;
     * stages 2 and 3 each 13,107,200 (a strided first conv, five more, a 1x1 shortcut); head 64·10.
     */
    @Test
    void resnet20HasItsKnownMacs() {
        try (GraphBuilder builder = GraphBuilder.create()) {
            ModelGraph model = ProgramLowering.lower(builder, SeedModels.resnet20(10), CIFAR);
            assertEquals(new GraphMacs(40_812_544, 640), builder.macs(model.output()));
            assertArrayEquals(new long[] {10}, builder.nodeShape(model.output()));
            assertArrayEquals(new long[] {3, 32, 32}, builder.nodeShape(model.input()));
        }
    }

    /** Every op of a small ResNet is one engine node, of the per-sample shape the program infers. */
    @Test
    void engineShapesMatchTheInferredShapes() {
        ProgramGraph program = SeedModels.resnet(new int[] {1, 1}, new int[] {4, 8}, 5);
        TensorShapes shapes = ShapeInference.infer(program, CIFAR);
        try (GraphBuilder builder = GraphBuilder.create()) {
            ProgramLowering.lower(builder, program, CIFAR);
            int node = 1;
            for (Op op : program.ops()) {
                assertArrayEquals(shapes.of(op.name()).perSample(), builder.nodeShape(node++), op.describe());
            }
            assertEquals(node, builder.nodeCount());
        }
    }

    /** The lowered small CNN is models.SmallCnn: same weights from the same seed, same logits. */
    @Test
    void smallCnnComputesWhatModelsSmallCnnComputes() {
        try (Engine engine = Engine.open(Backend.CPU)) {
            float[] program;
            try (GraphBuilder builder = GraphBuilder.create()) {
                ModelGraph model = ProgramLowering.lower(builder, SeedModels.smallCnn(10), FASHION);
                program = logits(engine, builder, model);
            }
            float[] reference;
            try (GraphBuilder builder = GraphBuilder.create()) {
                reference = logits(engine, builder, new SmallCnn().build(builder, 1, 28, 28, 10));
            }
            assertArrayEquals(reference, program);
        }
    }

    /**
     * A graph holding every op type lowers, node for node, to engine nodes of the inferred per-sample shapes (identity
     * lowers to its input), and the engine runs it forward and backward to finite values.
     */
    @Test
    void everyOpTypeLowersWithItsInferredShape() {
        ProgramGraph program = everyOpType();
        EnumSet<OpType> covered = EnumSet.noneOf(OpType.class);
        program.ops().forEach(op -> covered.add(op.type()));
        assertEquals(EnumSet.allOf(OpType.class), covered);
        TensorShape input = TensorShape.of(2, 4, 8, 8);
        TensorShapes shapes = ShapeInference.infer(program, input);
        try (Engine engine = Engine.open(Backend.CPU); GraphBuilder builder = GraphBuilder.create()) {
            Map<String, Integer> nodes = ProgramLowering.nodes(builder, program, input);
            ModelGraph model = new ModelGraph(nodes.get("x"), nodes.get("logits"));
            for (Op op : program.ops()) {
                assertArrayEquals(shapes.of(op.name()).perSample(), builder.nodeShape(nodes.get(op.name())),
                        op.describe());
            }
            try (Net net = Net.compile(engine, builder, model.output(), Init.PYTORCH_DEFAULT, 5);
                 Tensor images = engine.tensor(2, 4, 8, 8)) {
                images.fillNormal(3, 0, 0f, 1f);
                net.bindInput(model.input(), images);
                try (Tensor logits = net.forward(); Tensor seed = engine.tensor(2, 10)) {
                    seed.fillNormal(4, 0, 0f, 1f);
                    net.backward(seed);
                    for (float value : logits.read()) {
                        assertTrue(Float.isFinite(value));
                    }
                }
            }
        }
    }

    /**
     * x → dropout(0.5) → dense: while training, two forwards draw different masks and replaying the random state
     * replays the first; in eval mode the output is the dense layer of x itself, as if the dropout were not there.
     */
    @Test
    void dropoutMasksWhileTrainingAndIsTheIdentityInEvalMode() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.dropout("drop", "x", 0.5));
        graph.add(Op.dense("logits", "drop", FeatureCount.parse("10")));
        ProgramGraph withDropout = graph.output("logits").build();
        ProgramGraph.Builder plain = ProgramGraph.builder().input("x");
        plain.add(Op.dense("logits", "x", FeatureCount.parse("10")));
        TensorShape input = TensorShape.of(3, 20);
        try (Engine engine = Engine.open(Backend.CPU); Tensor x = engine.tensor(3, 20)) {
            x.fillNormal(1, 0, 0f, 1f);
            float[] reference = evalOutput(engine, plain.output("logits").build(), input, x);
            try (GraphBuilder builder = GraphBuilder.create()) {
                Map<String, Integer> nodes = ProgramLowering.nodes(builder, withDropout, input);
                try (Net net = Net.compile(engine, builder, nodes.get("logits"), Init.PYTORCH_DEFAULT, 5)) {
                    net.bindInput(nodes.get("x"), x);
                    float[] first = readAndClose(net.forward());
                    float[] second = readAndClose(net.forward());
                    assertFalse(Arrays.equals(first, second), "each training forward draws a fresh mask");
                    net.setRandom(5, 0);
                    assertArrayEquals(first, readAndClose(net.forward()));
                    net.setTrain(false);
                    assertArrayEquals(reference, readAndClose(net.forward()));
                }
            }
        }
    }

    private static float[] evalOutput(Engine engine, ProgramGraph program, TensorShape input, Tensor x) {
        try (GraphBuilder builder = GraphBuilder.create()) {
            Map<String, Integer> nodes = ProgramLowering.nodes(builder, program, input);
            try (Net net = Net.compile(engine, builder, nodes.get("logits"), Init.PYTORCH_DEFAULT, 5)) {
                net.setTrain(false);
                net.bindInput(nodes.get("x"), x);
                return readAndClose(net.forward());
            }
        }
    }

    private static float[] readAndClose(Tensor tensor) {
        try (tensor) {
            return tensor.read();
        }
    }

    /** conv → every activation and norm in a row, a gated branch (mul), pools, flatten → dense. */
    private static ProgramGraph everyOpType() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.conv("conv", "x", FeatureCount.parse("*2"), 3, 1));
        graph.add(Op.of(OpType.BATCH_NORM, "bn", "conv"));
        graph.add(Op.of(OpType.RELU, "relu", "bn"));
        graph.add(Op.groupNorm("gn", "relu", 2));
        graph.add(Op.of(OpType.GELU, "gelu", "gn"));
        graph.add(Op.of(OpType.LAYER_NORM, "ln", "gelu"));
        graph.add(Op.of(OpType.SWISH, "swish", "ln"));
        graph.add(Op.of(OpType.SIGMOID, "gate", "swish"));
        graph.add(Op.of(OpType.MUL, "gated", "swish", "gate"));
        graph.add(Op.of(OpType.SOFTMAX, "softmax", "gated"));
        graph.add(Op.scalarMul("scaled", "softmax", 0.5));
        graph.add(Op.of(OpType.ADD, "sum", "scaled", "relu"));
        graph.add(Op.dropout("drop", "sum", 0.2));
        graph.add(Op.of(OpType.IDENTITY, "same", "drop"));
        graph.add(Op.avgPool("avg", "same", 2, 2));
        graph.add(Op.maxPool("max", "avg", 2, 2));
        graph.add(Op.of(OpType.FLATTEN, "flat", "max"));
        graph.add(Op.dense("dense", "flat", FeatureCount.parse("10")));
        graph.add(Op.maxPool("global", "max", 0, 1));
        graph.add(Op.dense("head", "global", FeatureCount.parse("10")));
        graph.add(Op.of(OpType.ADD, "logits", "dense", "head"));
        return graph.output("logits").build();
    }

    private static float[] logits(Engine engine, GraphBuilder builder, ModelGraph model) {
        try (Net net = Net.compile(engine, builder, model.output(), Init.PYTORCH_DEFAULT, 5);
             Tensor images = engine.tensor(2, 1, 28, 28)) {
            images.fillNormal(3, 0, 0f, 1f);
            net.bindInput(model.input(), images);
            net.setTrain(false);
            try (Tensor logits = net.forward()) {
                return logits.read();
            }
        }
    }
}
