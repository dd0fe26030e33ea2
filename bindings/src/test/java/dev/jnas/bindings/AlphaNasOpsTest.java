package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ops of alphaNAS's vocabulary through the bindings, each built and run once on values worked out by hand:
 * sigmoid, swish, gelu, softmax, layer norm, group norm, global max pooling and flatten.
 */
class AlphaNasOpsTest {
    private static final float TOLERANCE = 1e-5f;
    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** Adds the op under test after the input node and returns its id. */
    @FunctionalInterface
    private interface Op {
        int build(GraphBuilder g, int input);
    }

    /** Builds input(shape) -> op, runs one sample x forward and returns the output. */
    private static float[] runOnce(long[] shape, Op op, float[] x) {
        try (GraphBuilder g = GraphBuilder.create()) {
            int input = g.input(shape);
            int output = op.build(g, input);
            long[] batched = new long[shape.length + 1];
            batched[0] = 1;
            System.arraycopy(shape, 0, batched, 1, shape.length);
            try (Net net = Net.compile(engine, g, output, Init.PYTORCH_DEFAULT, 1);
                 Tensor in = engine.tensor(batched)) {
                in.write(x);
                net.bindInput(input, in);
                try (Tensor out = net.forward()) {
                    return out.read();
                }
            }
        }
    }

    @Test
    void smoothActivationsMatchTheirDefinitions() {
        long[] shape = {3};
        float[] x = {0f, 1f, -1f};
        assertArrayEquals(new float[] {0.5f, 0.7310586f, 0.2689414f}, runOnce(shape, GraphBuilder::sigmoid, x),
                TOLERANCE);
        assertArrayEquals(new float[] {0f, 0.7310586f, -0.2689414f}, runOnce(shape, GraphBuilder::swish, x),
                TOLERANCE);
        // The tanh approximation: gelu(1) = 0.8411920, where the erf form would give 0.8413447.
        float[] gelu = {0f, 0.8411920f, -0.1588080f};
        assertArrayEquals(gelu, runOnce(shape, GraphBuilder::gelu, x), TOLERANCE);
        assertArrayEquals(gelu, runOnce(shape, (g, in) -> g.activation(in, Activation.GELU), x), TOLERANCE);
    }

    /** Pixel 0 has channel values (0, ln 3): (1/4, 3/4); pixel 1 has (1, 1): (1/2, 1/2). */
    @Test
    void softmaxNormalizesEachPixelOverTheChannels() {
        float[] x = {0f, 1f, (float) Math.log(3), 1f};
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.75f, 0.5f}, runOnce(new long[] {2, 1, 2}, GraphBuilder::softmax, x),
                TOLERANCE);
    }

    /** (1, 2, 3): mean 2, variance 2/3, so ±√1.5 around 0; gamma and beta start at 1 and 0. */
    @Test
    void layerNormStandardizesAndOwnsGammaAndBeta() {
        float r = (float) Math.sqrt(1.5);
        assertArrayEquals(new float[] {-r, 0f, r},
                runOnce(new long[] {3}, (g, in) -> g.layerNorm("ln", in), new float[] {1, 2, 3}), TOLERANCE);
        try (GraphBuilder g = GraphBuilder.create()) {
            int ln = g.layerNorm("ln", g.input(4, 2, 2));
            assertArrayEquals(new long[] {4, 2, 2}, g.nodeShape(ln));
            try (Net net = Net.compile(engine, g, ln, Init.PYTORCH_DEFAULT, 1)) {
                assertEquals(ParamRole.BN_WEIGHT, net.paramRole(net.findParam("ln.weight")));
                assertEquals(ParamRole.BN_BIAS, net.paramRole(net.findParam("ln.bias")));
                assertArrayEquals(new float[] {1, 1, 1, 1}, net.readParam(net.findParam("ln.weight")));
            }
        }
    }

    /**
     * Channels (1, 3), (1, 3), (0, 0), (2, 2) in two groups: {1, 3, 1, 3} has mean 2 and variance 1, {0, 0, 2, 2}
     * mean 1 and variance 1.
     */
    @Test
    void groupNormStandardizesEachGroupAndRejectsAGroupCountThatDoesNotDivide() {
        assertArrayEquals(new float[] {-1, 1, -1, 1, -1, -1, 1, 1},
                runOnce(new long[] {4, 1, 2}, (g, in) -> g.groupNorm("gn", in, 2), new float[] {1, 3, 1, 3, 0, 0, 2, 2}),
                TOLERANCE);
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(6, 4, 4);
            ShapeException e = assertThrows(ShapeException.class, () -> g.groupNorm("gn", x, 4));
            assertTrue(e.getMessage().contains("groups = 4 does not divide the 6 channels"), e.getMessage());
        }
    }

    /** Channel 0 = (1, 7, 3, 7): 7 at its first place, which alone takes the gradient; channel 1 = (-5, -2, -9, -3). */
    @Test
    void globalMaxPoolTakesEachChannelsMaximumAndRoutesTheGradientThere() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 2, 2);
            int pool = g.globalMaxPool(x);
            assertArrayEquals(new long[] {2}, g.nodeShape(pool));
            try (Net net = Net.compile(engine, g, pool, Init.PYTORCH_DEFAULT, 1);
                 Tensor in = engine.tensor(1, 2, 2, 2);
                 Tensor dy = engine.tensor(1, 2)) {
                in.write(new float[] {1, 7, 3, 7, -5, -2, -9, -3});
                dy.write(new float[] {1, 2});
                net.bindInput(x, in);
                try (Tensor out = net.forward()) {
                    assertArrayEquals(new float[] {7, -2}, out.read());
                }
                net.backward(dy);
                try (Tensor dx = net.inputGrad(x)) {
                    assertArrayEquals(new float[] {0, 1, 0, 0, 0, 2, 0, 0}, dx.read());
                }
            }
            int vector = g.input(5);
            assertThrows(ShapeException.class, () -> g.globalMaxPool(vector));
        }
    }

    @Test
    void flattenKeepsTheOrderInOneDimension() {
        float[] x = {1, 2, 3, 4, 5, 6};
        try (GraphBuilder g = GraphBuilder.create()) {
            assertArrayEquals(new long[] {6}, g.nodeShape(g.flatten(g.input(3, 1, 2))));
        }
        assertArrayEquals(x, runOnce(new long[] {3, 1, 2}, GraphBuilder::flatten, x));
    }
}
