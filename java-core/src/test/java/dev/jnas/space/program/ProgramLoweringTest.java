package dev.jnas.space.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.GraphMacs;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.models.SmallCnn;
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

    /** Every op's engine node has the per-sample shape the program infers (flatten aside: the engine has none). */
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

    @Test
    void opsTheEngineLacksAreNamed() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.of(OpType.GELU, "act", "x"));
        ProgramGraph gelu = graph.output("act").build();
        try (GraphBuilder builder = GraphBuilder.create()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> ProgramLowering.lower(builder, gelu, TensorShape.of(2, 3, 4, 4)));
            assertEquals("op 'act' (GELU): the native engine has no GELU op yet", e.getMessage());
        }
    }

    @Test
    void aFlattenReadByAnythingButDenseIsUnsupported() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.of(OpType.FLATTEN, "flat", "x"));
        graph.add(Op.of(OpType.RELU, "act", "flat"));
        ProgramGraph program = graph.output("act").build();
        try (GraphBuilder builder = GraphBuilder.create()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> ProgramLowering.lower(builder, program, TensorShape.of(2, 3, 4, 4)));
            assertEquals("op 'flat' (FLATTEN): the native engine has no reshape yet, so a flatten may only be read"
                    + " by dense ops, not by op 'act' (RELU)", e.getMessage());
        }
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
