package dev.jnas.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the shared vectors do not cover: none edges (no vectors cell has one) and skeletons other than the
 * TE-NAS ones.
 */
class Nb201NetworkTest {
    private static final int BATCH = 4;
    private static final int SIZE = 8;
    private static final int CLASSES = 10;
    private static final long SEED = 7;

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** Three cells that all compute the identity, through none edges and nodes that are all zeros. */
    @Test
    void noneEdgesAddNothing() {
        Compiled direct = compile("|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|");
        Compiled throughZeroNodes = compile("|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|");
        Compiled poolOfZeros = compile("|none~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|skip_connect~2|");
        copyParams(direct.net(), throughZeroNodes.net());
        copyParams(direct.net(), poolOfZeros.net());
        float[] expected = trainLogits(direct);
        assertArrayEquals(expected, trainLogits(throughZeroNodes), 1e-6f);
        assertArrayEquals(expected, trainLogits(poolOfZeros), 1e-6f);
    }

    /** A cell of none edges outputs zeros, so every sample gets the same logits whatever its input. */
    @Test
    void allNoneCellForgetsItsInput() {
        float[] logits = trainLogits(compile("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
        float[] first = Arrays.copyOfRange(logits, 0, CLASSES);
        for (int sample = 1; sample < BATCH; sample++) {
            assertArrayEquals(first, Arrays.copyOfRange(logits, sample * CLASSES, (sample + 1) * CLASSES), 1e-6f);
        }
    }

    /** N cells per stage, a ResNet block before stages 2 and 3, channels doubling, layers numbered in order. */
    @Test
    void numbersLayersAndWidensStages() {
        Nb201Architecture convs = Nb201Architecture.of(Nb201Op.NOR_CONV_3X3, Nb201Op.NOR_CONV_1X1,
                Nb201Op.NOR_CONV_3X3, Nb201Op.NOR_CONV_1X1, Nb201Op.NOR_CONV_3X3, Nb201Op.NOR_CONV_1X1);
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = new Nb201Network(convs, new Nb201Skeleton(4, 2, 3, true))
                    .build(graph, 3, SIZE, SIZE, CLASSES);
            Net net = Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, SEED);
            assertShape(net, "stem.conv.weight", 4, 3, 3, 3);
            assertShape(net, "layer1.edge2_1.conv.weight", 4, 4, 3, 3);
            assertShape(net, "layer2.conv_a.conv.weight", 8, 4, 3, 3);
            assertShape(net, "layer2.downsample.conv.weight", 8, 4, 1, 1);
            assertShape(net, "layer4.edge3_0.conv.weight", 8, 8, 1, 1);
            assertShape(net, "layer5.conv_b.bn.weight", 16);
            assertShape(net, "layer7.edge3_2.conv.weight", 16, 16, 1, 1);
            assertShape(net, "head.linear.weight", CLASSES, 16);
        }
    }

    @Test
    void withoutAStemTheInputMustHaveTheCellsChannels() {
        Nb201Network thin = new Nb201Network(Nb201Architecture.fromOrdinal(0), Nb201Skeleton.LINEAR_REGIONS);
        try (GraphBuilder graph = GraphBuilder.create()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> thin.build(graph, 3, 3, 3, CLASSES));
            assertTrue(e.getMessage().contains("needs 1 channel(s), got 3"), e.getMessage());
        }
    }

    private record Compiled(Net net, ModelGraph model) {
    }

    /** The κ network of an architecture on SIZE x SIZE inputs; the engine closes it. */
    private Compiled compile(String architecture) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = new Nb201Network(Nb201Architecture.parse(architecture), Nb201Skeleton.NTK)
                    .build(graph, 3, SIZE, SIZE, CLASSES);
            return new Compiled(Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, SEED), model);
        }
    }

    /** Nets whose parameters have the same names then differ only in their cells. */
    private static void copyParams(Net from, Net to) {
        assertEquals(from.paramCount(), to.paramCount());
        for (int slot = 0; slot < from.paramCount(); slot++) {
            to.writeParam(to.findParam(from.paramName(slot)), from.readParam(slot));
        }
    }

    /** Logits of a fixed random batch with batch-statistics BN. */
    private float[] trainLogits(Compiled compiled) {
        Net net = compiled.net();
        net.setTrain(true);
        Tensor input = engine.tensor(BATCH, 3, SIZE, SIZE);
        input.fillNormal(SEED, 0, 0f, 1f);
        net.bindInput(compiled.model().input(), input);
        return net.forward().read();
    }

    private static void assertShape(Net net, String param, long... shape) {
        assertArrayEquals(shape, net.paramShape(net.findParam(param)), param);
    }
}
