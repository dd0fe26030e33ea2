package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Hessian-diagonal pass and the cross-entropy seed through the Java API (the native tests check the values). */
class HessianTest {
    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** y = W·x without bias: H_W[o][i] = Σ_b x_bi²·Hy[b][o], by hand for x = [[1, 2], [3, -1]], Hy = [[1], [2]]. */
    @Test
    void linearDiagonalByHand() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2);
            int y = g.linear("fc", x, 1, false);
            try (Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 1);
                 Tensor input = engine.tensor(2, 2);
                 Tensor seed = engine.tensor(2, 1)) {
                input.write(new float[] {1, 2, 3, -1});
                seed.write(new float[] {1, 2});
                net.bindInput(x, input);
                net.forward().close();
                net.hessianDiag(seed);
                float[] h = net.readHessian(net.findParam("fc.weight"));
                assertArrayEquals(new float[] {1 + 9 * 2, 4 + 1 * 2}, h);
            }
        }
    }

    @Test
    void errorsNameTheProblem() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(3);
            int y = g.linear("fc", x, 2);
            try (Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 1);
                 Tensor input = engine.tensor(4, 3);
                 Tensor seed = engine.tensor(4, 2);
                 Tensor wrong = engine.tensor(4, 3)) {
                net.bindInput(x, input);
                StateException noForward = assertThrows(StateException.class, () -> net.hessianDiag(seed));
                assertTrue(noForward.getMessage().contains("forward"), noForward.getMessage());
                assertThrows(StateException.class, () -> net.readHessian(0));
                net.forward().close();
                ShapeException shape = assertThrows(ShapeException.class, () -> net.hessianDiag(wrong));
                assertTrue(shape.getMessage().contains("[4, 3]") && shape.getMessage().contains("[4, 2]"),
                        shape.getMessage());
                net.hessianDiag(seed);
                assertEquals(6, net.readHessian(net.findParam("fc.weight")).length);
            }
        }
    }

    /** Softmax of (0, ln 3) is (1/4, 3/4): p(1 − p) = 3/16 each, over B = 1. */
    @Test
    void crossEntropyHessianDiagonal() {
        try (Tensor logits = engine.tensor(1, 2); Tensor out = engine.tensor(1, 2); Tensor wrong = engine.tensor(2, 2)) {
            logits.write(new float[] {0, (float) Math.log(3)});
            engine.crossEntropyHessianDiag(logits, out);
            float[] h = out.read();
            assertEquals(3.0 / 16, h[0], 1e-6);
            assertEquals(3.0 / 16, h[1], 1e-6);
            assertThrows(ShapeException.class, () -> engine.crossEntropyHessianDiag(logits, wrong));
        }
    }

    /** The ARD update's argument errors arrive as typed exceptions naming the problem (values: ArdUpdateTest). */
    @Test
    void ardUpdateRefusesBadParentsAndShapes() {
        try (Tensor s = engine.tensor(2, 1); Tensor h = engine.tensor(2, 1); Tensor gammas = engine.tensor(2);
             Tensor lambdas = engine.tensor(2); Tensor c = engine.tensor(2, 1); Tensor omegas = engine.tensor(2);
             Tensor wrong = engine.tensor(3)) {
            gammas.write(new float[] {1, 1});
            lambdas.write(new float[] {0.01f, 0.01f});
            engine.ardUpdate(s, h, gammas, lambdas, new int[] {-1, 0}, c, omegas, gammas);
            assertThrows(ShapeException.class,
                    () -> engine.ardUpdate(s, h, gammas, lambdas, new int[] {-1}, c, omegas, gammas));
            InvalidArgumentException chain = assertThrows(InvalidArgumentException.class,
                    () -> engine.ardUpdate(s, h, gammas, lambdas, new int[] {1, 0}, c, omegas, gammas));
            assertTrue(chain.getMessage().contains("origin group"), chain.getMessage());
            assertThrows(ShapeException.class,
                    () -> engine.ardUpdate(s, h, gammas, lambdas, new int[] {-1, -1}, c, wrong, gammas));
        }
    }
}
