package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API's plumbing: metadata, copies in and out, generators, gemm, loss, optimizers and the shift op. */
class ApiTest {
    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void engineDescribesItself() {
        assertEquals(Backend.CPU, engine.backend());
        assertTrue(engine.deviceName().startsWith("cpu"), engine.deviceName());
        assertTrue(Engine.version().startsWith(JnasNative.ABI_VERSION + "."), Engine.version());
        engine.setThreads(1);
        engine.setThreads(0);
    }

    @Test
    void tensorRoundTripAndSeededFills() {
        try (Tensor t = engine.tensor(2, 3, 4)) {
            assertArrayEquals(new long[] {2, 3, 4}, t.shape());
            assertEquals(24, t.numel());
            float[] values = new float[24];
            for (int i = 0; i < values.length; i++) {
                values[i] = i * 0.5f - 3;
            }
            t.write(values);
            assertArrayEquals(values, t.read());

            t.fillNormal(5, 1, 0, 1);
            float[] normal = t.read();
            t.fillNormal(5, 1, 0, 1);
            assertArrayEquals(normal, t.read(), "same seed and stream, same values");
            t.fillNormal(5, 2, 0, 1);
            assertFalse(Arrays.equals(normal, t.read()), "another stream, other values");

            t.fillUniform(3, 0, -2, -1);
            for (float v : t.read()) {
                assertTrue(v >= -2 && v <= -1, "uniform value " + v);
            }
        }
    }

    @Test
    void gemmMatchesAPlainProduct() {
        try (Tensor a = engine.tensor(2, 3); Tensor b = engine.tensor(2, 4); Tensor c = engine.tensor(3, 4)) {
            float[] av = {1, 2, 3, 4, 5, 6};
            float[] bv = {1, 0, -1, 2, 0.5f, 1, 1, -2};
            a.write(av);
            b.write(bv);
            c.write(new float[12]);
            engine.gemm(true, false, 2f, a, b, 0f, c); // c = 2 · aᵀ b
            float[] expected = new float[12];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    expected[i * 4 + j] = 2 * (av[i] * bv[j] + av[3 + i] * bv[4 + j]);
                }
            }
            assertArrayEquals(expected, c.read(), 1e-5f);
        }
    }

    @Test
    void crossEntropyOfUniformLogitsIsLogK() {
        try (Tensor logits = engine.tensor(2, 4); Tensor grad = engine.tensor(2, 4)) {
            CrossEntropyResult result = engine.crossEntropy(logits, new int[] {1, 3}, 0f, grad);
            assertEquals(Math.log(4), result.loss(), 1e-6);
            // d/dlogits of the mean loss: (softmax - onehot) / B
            assertArrayEquals(new float[] {0.125f, -0.375f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, -0.375f},
                    grad.read(), 1e-6f);
        }
    }

    @Test
    void parametersAreNamedTypedAndWritable() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(1, 4, 4);
            int conv = g.conv2d("conv", x, 2, 3, 3, 1, 1, 1, 1, true);
            int bn = g.batchNorm("bn", conv);
            int y = g.linear("fc", g.relu(bn), 3);
            try (Net net = Net.compile(engine, g, y, Init.KAIMING_NORMAL_FAN_IN, 1)) {
                List<String> names = new ArrayList<>();
                for (int p = 0; p < net.paramCount(); p++) {
                    names.add(net.paramName(p));
                }
                assertTrue(names.containsAll(List.of("conv.weight", "conv.bias", "bn.weight", "bn.bias",
                        "bn.running_mean", "bn.running_var", "fc.weight", "fc.bias")), names.toString());

                int weight = net.findParam("conv.weight");
                assertEquals(ParamRole.WEIGHT, net.paramRole(weight));
                assertArrayEquals(new long[] {2, 1, 3, 3}, net.paramShape(weight));
                assertEquals(18, net.paramNumel(weight));
                assertEquals(ParamRole.BIAS, net.paramRole(net.findParam("conv.bias")));
                assertEquals(ParamRole.BN_WEIGHT, net.paramRole(net.findParam("bn.weight")));
                assertEquals(ParamRole.BN_BIAS, net.paramRole(net.findParam("bn.bias")));
                int runningVar = net.findParam("bn.running_var");
                assertEquals(ParamRole.BN_RUNNING, net.paramRole(runningVar));
                assertFalse(net.isTrainable(runningVar));
                float[] ones = new float[2];
                Arrays.fill(ones, 1f);
                assertArrayEquals(ones, net.readParam(runningVar));
                assertArrayEquals(new float[3], net.readParam(net.findParam("fc.bias")), "kaiming: bias 0");

                float[] written = new float[18];
                for (int i = 0; i < written.length; i++) {
                    written[i] = i / 18f;
                }
                net.writeParam(weight, written);
                assertArrayEquals(written, net.readParam(weight));
                net.reinitialize(Init.KAIMING_NORMAL_FAN_IN, 1);
                float[] seeded = net.readParam(weight);
                assertNotEquals(written[5], seeded[5]);
                net.reinitialize(Init.KAIMING_NORMAL_FAN_IN, 1);
                assertArrayEquals(seeded, net.readParam(weight), "same seed, same weights");

                net.setTrainable(weight, false);
                assertFalse(net.isTrainable(weight));
                net.setTrainable(weight, true);
                assertEquals(List.of(1L, 3L), Arrays.stream(net.outputShape(1)).boxed().toList());
            }
        }
    }

    @Test
    void optimizersMoveOnlyTheirParameters() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(3);
            int y = g.linear("fc", x, 2);
            try (Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 4);
                 Tensor in = engine.tensor(5, 3);
                 Tensor grad = engine.tensor(5, 2)) {
                in.fillNormal(1, 0, 0, 1);
                grad.fillNormal(2, 0, 0, 1);
                int weight = net.findParam("fc.weight");
                int bias = net.findParam("fc.bias");
                float[] w0 = net.readParam(weight);
                float[] b0 = net.readParam(bias);
                net.bindInput(x, in);
                net.forward().close();
                net.zeroGrad();
                net.backward(grad);
                float[] g0 = net.readGrad(weight);
                try (Optimizer sgd = net.sgd(0.5f, 0f, 0f, false, weight)) {
                    sgd.step();
                }
                float[] w1 = net.readParam(weight);
                for (int i = 0; i < w0.length; i++) {
                    assertEquals(w0[i] - 0.5f * g0[i], w1[i], 1e-6f);
                }
                assertArrayEquals(b0, net.readParam(bias), "bias was not in the optimizer's list");
                try (Optimizer adam = net.adam(0.1f)) {
                    adam.setLr(0.01f);
                    adam.step();
                    // Adam's first step moves every weight by about lr against its gradient's sign.
                    float[] w2 = net.readParam(weight);
                    for (int i = 0; i < w1.length; i++) {
                        assertEquals(-0.01f * Math.signum(g0[i]), w2[i] - w1[i], 1e-4f);
                    }
                }
            }
        }
    }

    /** Adam's state after two steps, restored into a fresh optimizer, gives the same third step. */
    @Test
    void optimizerStateRestoresBitForBit() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(3);
            int y = g.linear("fc", x, 2);
            try (Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 4);
                 Tensor in = engine.tensor(5, 3);
                 Tensor grad = engine.tensor(5, 2)) {
                in.fillNormal(1, 0, 0, 1);
                grad.fillNormal(2, 0, 0, 1);
                net.bindInput(x, in);
                net.forward().close();
                net.zeroGrad();
                net.backward(grad);
                float[] weights = net.readParam(0);
                float[] afterThird;
                OptimizerState state;
                try (Optimizer adam = net.adam(0.1f)) {
                    adam.step();
                    adam.step();
                    state = adam.readState();
                    weights = net.readParam(0);
                    adam.step();
                    afterThird = net.readParam(0);
                }
                assertEquals(2, state.steps());
                assertEquals(2 * (6 + 2), state.moments().length, "first and second moments of weight and bias");
                net.writeParam(0, weights);
                try (Optimizer adam = net.adam(0.1f)) {
                    adam.writeState(state);
                    adam.step();
                }
                assertArrayEquals(afterThird, net.readParam(0));
                try (Optimizer sgd = net.sgd(0.1f, 0.9f, 0f, false)) {
                    JnasException e = assertThrows(JnasException.class, () -> sgd.writeState(state));
                    assertTrue(e.getMessage().contains("holds 8 floats"), e.getMessage());
                }
            }
        }
    }

    @Test
    void graphMacsCountConvolutionsAndLinearLayers() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 4, 4);
            int conv = g.conv2d("conv", x, 3, 3, 1, 1);
            int fc = g.linear("fc", g.globalAvgPool(conv), 5);
            assertEquals(new GraphMacs(16 * 3 * 9 * 2, 3 * 5), g.macs(fc));
            assertEquals(16 * 3 * 9 * 2 + 15, g.macs(fc).total());
        }
    }

    /** x = 1..9 in 3x3 shifted by (1, 1) is [[5 6 0] [8 9 0] [0 0 0]]; ones flow back to x[1..2][1..2]. */
    @Test
    void shiftMovesPixelsAndItsGradientBack() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(1, 3, 3);
            int shifted = g.shift(x, 1, 1);
            assertArrayEquals(new long[] {1, 3, 3}, g.nodeShape(shifted));
            try (Net net = Net.compile(engine, g, shifted, Init.PYTORCH_DEFAULT, 1);
                 Tensor in = engine.tensor(1, 1, 3, 3);
                 Tensor ones = engine.tensor(1, 1, 3, 3)) {
                in.write(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
                float[] all = new float[9];
                Arrays.fill(all, 1f);
                ones.write(all);
                net.bindInput(x, in);
                try (Tensor out = net.forward()) {
                    assertArrayEquals(new float[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, out.read());
                }
                net.backward(ones);
                try (Tensor dx = net.inputGrad(x)) {
                    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 0, 1, 1}, dx.read());
                }
            }
            assertThrows(ShapeException.class, () -> g.shift(g.input(9), 1, 1), "shift needs [C, H, W]");
        }
    }

    /**
     * x = [1 2 | 3 4] (two channels of 1x2) gated by g = [2, -1] is [2 4 | -3 -4]; with dy = ones, dg = [1 + 2,
     * 3 + 4] = [3, 7] and dx = [2 2 | -1 -1].
     */
    @Test
    void mulGatesChannelsAndDifferentiatesBoth() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2, 1, 2);
            int gate = g.param("gate", new long[] {2}, Init.ONES, true);
            int gated = g.mul(x, gate);
            assertArrayEquals(new long[] {2, 1, 2}, g.nodeShape(gated));
            try (Net net = Net.compile(engine, g, gated, Init.PYTORCH_DEFAULT, 1);
                 Tensor in = engine.tensor(1, 2, 1, 2);
                 Tensor ones = engine.tensor(1, 2, 1, 2)) {
                net.writeParam(net.findParam("gate"), new float[] {2, -1});
                in.write(new float[] {1, 2, 3, 4});
                ones.write(new float[] {1, 1, 1, 1});
                net.bindInput(x, in);
                try (Tensor out = net.forward()) {
                    assertArrayEquals(new float[] {2, 4, -3, -4}, out.read());
                }
                net.zeroGrad();
                net.backward(ones);
                assertArrayEquals(new float[] {3, 7}, net.readGrad(net.findParam("gate")));
                try (Tensor dx = net.inputGrad(x)) {
                    assertArrayEquals(new float[] {2, 2, -1, -1}, dx.read());
                }
            }
            int wide = g.param("wide", new long[] {3}, Init.ONES, true);
            assertThrows(ShapeException.class, () -> g.mul(x, wide), "a 3-value gate on 2 channels");
        }
    }

    @Test
    void batchedSpectraEqualOneCallPerMatrix() {
        try (Tensor a = engine.tensor(3, 3); Tensor b = engine.tensor(3, 3); Tensor other = engine.tensor(2, 2)) {
            a.write(new float[] {2, 1, 0, 1, 2, 0, 0, 0, 5});  // eigenvalues 1, 3, 5
            b.write(new float[] {-1, 0, 0, 0, 1, 0, 0, 0, 2});
            List<Spectrum> spectra = engine.spectra(List.of(a, b));
            assertEquals(2, spectra.size());
            for (int i = 0; i < 2; i++) {
                Spectrum one = engine.spectrum(i == 0 ? a : b);
                assertArrayEquals(one.eigenvalues(), spectra.get(i).eigenvalues());
                assertEquals(one.kappa(), spectra.get(i).kappa());
                assertEquals(one.flags(), spectra.get(i).flags());
            }
            assertArrayEquals(new double[] {1, 3, 5}, spectra.get(0).eigenvalues(), 1e-12);
            assertTrue(spectra.get(1).hasFlag(Spectrum.NONPOSITIVE_MIN));
            assertThrows(ShapeException.class, () -> engine.spectra(List.of(a, other)));
            assertThrows(InvalidArgumentException.class, () -> engine.spectra(List.of()));
        }
    }
}
