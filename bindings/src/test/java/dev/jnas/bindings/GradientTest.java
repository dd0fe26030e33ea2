package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every graph op's backward pass against central differences, through the Java API. */
class GradientTest {
    /** Smooth (or linear) ops: a large step keeps float32 rounding small next to the difference. */
    private static final double SMOOTH_EPS = 1e-2;
    /** Piecewise ops: a small step makes crossing a kink (or a max-pool tie) unlikely. */
    private static final double KINKED_EPS = 1e-3;

    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static GradientCheck smooth(int batch) {
        return new GradientCheck(engine, batch, SMOOTH_EPS, 11);
    }

    private static GradientCheck kinked(int batch) {
        return new GradientCheck(engine, batch, KINKED_EPS, 13);
    }

    @Test
    void conv2dWithBias() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 5, 5);
            int y = g.conv2d("conv", x, 3, 3, 3, 1, 1, 1, 1, true);
            assertArrayEquals(new long[] {3, 5, 5}, g.nodeShape(y));
            smooth(2).check(g, y, x);
        }
    }

    @Test
    void conv2dStridedDilatedGrouped() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(4, 7, 6);
            int y = g.conv2d("conv", x, 6, 3, 2, 2, 2, 2, 2, false);
            smooth(2).check(g, y, x);
        }
    }

    @Test
    void batchNormAffineInTrainMode() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(3, 4, 4);
            int y = g.batchNorm("bn", x);
            smooth(3).check(g, y, x);
        }
    }

    @Test
    void batchNormWithoutAffine() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 3, 3);
            int y = g.batchNorm("bn", x, false, false, GraphBuilder.BN_EPS, GraphBuilder.BN_MOMENTUM);
            smooth(4).check(g, y, x);
        }
    }

    @Test
    void relu() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 4, 4);
            kinked(2).check(g, g.relu(x), x);
        }
    }

    @Test
    void relu6() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 4, 4);
            kinked(2).inputScale(4).check(g, g.relu6(x), x);
        }
    }

    @Test
    void hswish() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 4, 4);
            kinked(2).inputScale(4).check(g, g.hswish(x), x);
        }
    }

    @Test
    void avgPoolCountingPadding() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 5, 5);
            int y = g.avgPool(x, 3, 2, 1, true);
            assertArrayEquals(new long[] {2, 3, 3}, g.nodeShape(y));
            smooth(2).check(g, y, x);
        }
    }

    @Test
    void avgPoolExcludingPadding() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 5, 5);
            smooth(2).check(g, g.avgPool(x, 3, 1, 1, false), x);
        }
    }

    @Test
    void maxPool() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 6, 6);
            kinked(2).check(g, g.maxPool(x, 2, 2, 0), x);
        }
    }

    @Test
    void maxPoolOverlappingAndPadded() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 5, 5);
            kinked(2).check(g, g.maxPool(x, 3, 2, 1), x);
        }
    }

    @Test
    void globalAvgPool() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(3, 4, 5);
            int y = g.globalAvgPool(x);
            assertArrayEquals(new long[] {3}, g.nodeShape(y));
            smooth(2).check(g, y, x);
        }
    }

    @Test
    void linearFlatteningItsInput() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 3, 3);
            int y = g.linear("fc", x, 4);
            assertArrayEquals(new long[] {4}, g.nodeShape(y));
            smooth(3).check(g, y, x);
        }
    }

    @Test
    void linearWithoutBias() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(5);
            smooth(3).check(g, g.linear("fc", x, 3, false), x);
        }
    }

    @Test
    void addOfTwoInputs() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int a = g.input(2, 3, 3);
            int b = g.input(2, 3, 3);
            smooth(2).check(g, g.add(a, b), a, b);
        }
    }

    @Test
    void concatAlongChannels() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int a = g.input(2, 3, 3);
            int b = g.input(1, 3, 3);
            int y = g.concat(a, b, a);
            assertArrayEquals(new long[] {5, 3, 3}, g.nodeShape(y));
            smooth(2).check(g, y, a, b);
        }
    }

    @Test
    void scale() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 3, 3);
            smooth(2).check(g, g.scale(x, -1.5f), x);
        }
    }

    @Test
    void zeroCarriesNoGradient() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 4, 4);
            int zero = g.zero(x, 1);
            int y = g.add(zero, g.scale(x, 2f));
            smooth(2).check(g, y, x);
            int strided = g.zero(x, 2);
            assertArrayEquals(new long[] {2, 2, 2}, g.nodeShape(strided));
        }
    }

    @Test
    void zeroOutputsZeros() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 3, 3);
            int y = g.zero(x, 2);
            try (Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 1);
                 Tensor in = engine.tensor(2, 2, 3, 3)) {
                in.fillNormal(1, 0, 0, 1);
                net.bindInput(x, in);
                try (Tensor out = net.forward()) {
                    assertArrayEquals(new long[] {2, 2, 2, 2}, out.shape());
                    assertArrayEquals(new float[16], out.read());
                }
            }
        }
    }

    /** The mixed edge: gradients to the input, every branch's parameters and the mixing weights. */
    @Test
    void mixedEdgeWeightsAndBranches() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 4, 4);
            int weights = g.param("alpha", new long[] {4}, Init.ZEROS, true);
            int[] ops = {g.conv2d("conv", x, 2, 3, 1, 1), g.relu(x), g.zero(x, 1), g.scale(x, 0.5f)};
            int y = g.mixed(ops, weights);
            kinked(2).prepare(net -> net.writeParam(net.findParam("alpha"), new float[] {0.3f, -0.7f, 0.5f, 1.2f}))
                    .check(g, y, x);
        }
    }

    /** Branches at or below the threshold are skipped: the output and every gradient ignore them. */
    @Test
    void mixedEdgeSkipsBranchesAtOrBelowThreshold() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 3, 3);
            int weights = g.param("alpha", new long[] {3}, Init.ZEROS, true);
            int[] ops = {g.scale(x, 2f), g.relu(x), g.conv2d("conv", x, 2, 1, 1, 0)};
            int y = g.mixed(ops, weights, 0f);
            float[] alpha = {0.4f, 0.9f, -0.5f};
            kinked(2).prepare(net -> net.writeParam(net.findParam("alpha"), alpha)).check(g, y, x);

            // Numerically the skipped branch's weight and conv parameters have zero gradient; check the
            // analytic ones are exactly zero too.
            try (Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 3);
                 Tensor in = engine.tensor(2, 2, 3, 3)) {
                net.writeParam(net.findParam("alpha"), alpha);
                in.fillNormal(5, 0, 0, 1);
                net.bindInput(x, in);
                try (Tensor out = net.forward()) {
                    out.fillUniform(9, 0, -1, 1);
                    net.backward(out);
                }
                assertEquals(0f, net.readGrad(net.findParam("alpha"))[2]);
                assertArrayEquals(new float[4], net.readGrad(net.findParam("conv.weight")));
            }
        }
    }
}
