package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input reaches the caller as a typed exception whose message names the problem, and the JVM (and the
 * engine) stay usable afterwards.
 */
class BadInputTest {
    private Engine engine;

    @BeforeEach
    void open() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void negativeTensorDimensionIsAnInvalidArgument() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> engine.tensor(4, -3));
        assertEquals(Status.INVALID_ARGUMENT, e.status());
        assertFalse(e.nativeMessage().isBlank(), "libjnas gave no message");
        stillWorks();
    }

    @Test
    void tooManyTensorDimensionsAreRejected() {
        assertThrows(InvalidArgumentException.class, () -> engine.tensor(1, 2, 3, 4, 5));
        assertThrows(InvalidArgumentException.class, () -> engine.tensor());
        stillWorks();
    }

    @Test
    void arrayLengthMustMatchTheTensor() {
        try (Tensor t = engine.tensor(8, 3)) {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> t.write(new float[23]));
            assertTrue(e.getMessage().contains("23") && e.getMessage().contains("24"), e.getMessage());
            assertThrows(InvalidArgumentException.class, () -> t.read(new float[25]));
            assertThrows(InvalidArgumentException.class, () -> t.write(null));
        }
    }

    @Test
    void mismatchedShapesInAGraphAreAShapeError() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int a = g.input(2, 4, 4);
            int b = g.input(3, 4, 4);
            ShapeException e = assertThrows(ShapeException.class, () -> g.add(a, b));
            assertFalse(e.nativeMessage().isBlank());
            int flat = g.input(10);
            assertThrows(ShapeException.class, () -> g.conv2d("conv", flat, 4, 3, 1, 1));
            int c = g.input(1, 5, 5);
            assertThrows(ShapeException.class, () -> g.concat(a, c));
            assertEquals(4, g.nodeCount(), "a failed builder call must not add a node");
        }
    }

    @Test
    void unknownNodeIdIsAnInvalidArgument() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(1, 4, 4);
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> g.relu(x + 41));
            assertTrue(e.getMessage().contains("node " + (x + 41)), () -> "message does not name the node: " + e.getMessage());
            assertThrows(InvalidArgumentException.class, () -> g.add(x, -1));
            assertThrows(InvalidArgumentException.class, () -> g.nodeShape(99));
            assertThrows(InvalidArgumentException.class, () -> Net.compile(engine, g, 7, Init.PYTORCH_DEFAULT, 0));
        }
    }

    @Test
    void duplicateParameterNamesAreRejected() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(1, 4, 4);
            g.conv2d("conv", x, 2, 3, 1, 1);
            JnasException e = assertThrows(JnasException.class, () -> g.conv2d("conv", x, 2, 3, 1, 1));
            assertTrue(e.getMessage().contains("conv"), e.getMessage());
        }
    }

    @Test
    void inputOfTheWrongShapeIsRejectedBeforeForward() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(1, 4, 4);
            int y = g.relu(x);
            try (Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 0);
                 Tensor wrong = engine.tensor(2, 1, 5, 4)) {
                // libjnas may check at bind time or at forward; either way it must be a shape error.
                assertThrows(ShapeException.class, () -> {
                    net.bindInput(x, wrong);
                    net.forward().close();
                });
            }
        }
    }

    @Test
    void backwardBeforeForwardIsAStateError() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(3);
            int y = g.linear("fc", x, 2);
            try (Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 0);
                 Tensor grad = engine.tensor(4, 2)) {
                JnasException e = assertThrows(JnasException.class, () -> net.backward(grad));
                assertEquals(Status.STATE, e.status());
            }
        }
    }

    @Test
    void closedTensorIsRefusedByName() {
        Tensor t = engine.tensor(8, 3);
        t.close();
        t.close(); // idempotent
        StateException e = assertThrows(StateException.class, () -> t.write(new float[24]));
        assertEquals("Tensor [8, 3] is closed", e.getMessage());
        assertInstanceOf(JnasException.class, e);
        assertThrows(StateException.class, t::read);
        assertThrows(StateException.class, () -> t.fillNormal(0, 0, 0, 1));
        assertTrue(t.isClosed());
    }

    @Test
    void closedNetAndItsOptimizerAreRefused() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(3);
            int y = g.linear("fc", x, 2);
            Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 0);
            Optimizer sgd = net.sgd(0.1f, 0.9f, 0f, false);
            net.close();
            assertTrue(sgd.isClosed(), "closing a net closes its optimizers");
            StateException e = assertThrows(StateException.class, net::paramCount);
            assertTrue(e.getMessage().contains("Net") && e.getMessage().contains("closed"), e.getMessage());
            assertThrows(StateException.class, sgd::step);
            net.close();
        }
    }

    @Test
    void closedBoundInputStopsTheNet() {
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(3);
            int y = g.linear("fc", x, 2);
            try (Net net = Net.compile(engine, g, y, Init.PYTORCH_DEFAULT, 0)) {
                Tensor input = engine.tensor(4, 3);
                net.bindInput(x, input);
                input.close();
                StateException e = assertThrows(StateException.class, net::forward);
                assertTrue(e.getMessage().contains("bound to input node " + x), e.getMessage());
            }
        }
    }

    @Test
    void closingTheEngineClosesEverythingMadeFromIt() {
        Engine other = Engine.open(Backend.CPU);
        Tensor t = other.tensor(2, 2);
        Net net;
        try (GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(2);
            net = Net.compile(other, g, g.relu(x), Init.PYTORCH_DEFAULT, 0);
        }
        other.close();
        assertTrue(t.isClosed());
        assertTrue(net.isClosed());
        assertThrows(StateException.class, () -> other.tensor(1));
        assertThrows(StateException.class, other::deviceName);
        StateException e = assertThrows(StateException.class, t::read);
        assertEquals("Tensor [2, 2] is closed", e.getMessage());
    }

    @Test
    void closedGraphIsRefused() {
        GraphBuilder g = GraphBuilder.create();
        int x = g.input(2);
        g.close();
        assertThrows(StateException.class, () -> g.relu(x));
        assertThrows(StateException.class, () -> Net.compile(engine, g, x, Init.PYTORCH_DEFAULT, 0));
    }

    @Test
    void tensorsOfAnotherEngineAreRefused() {
        try (Engine other = Engine.open(Backend.CPU);
             Tensor foreign = other.tensor(2, 3);
             GraphBuilder g = GraphBuilder.create()) {
            int x = g.input(3);
            try (Net net = Net.compile(engine, g, g.relu(x), Init.PYTORCH_DEFAULT, 0)) {
                assertThrows(InvalidArgumentException.class, () -> net.bindInput(x, foreign));
            }
        }
    }

    @Test
    void cudaWithoutAGpuIsNoDeviceWithTheNativeMessage() {
        assumeTrue(Devices.discover().gpus().isEmpty() || !Engine.cudaCompiled(),
                "a GPU and a CUDA build are present");
        NoDeviceException e = assertThrows(NoDeviceException.class, () -> Engine.open(Backend.CUDA));
        assertEquals(Status.NO_DEVICE, e.status());
        assertFalse(e.nativeMessage().isBlank(), "libjnas gave no message");
        assertEquals(e.nativeMessage(), e.getMessage());
        stillWorks();
    }

    @Test
    void crossEntropyChecksLabels() {
        try (Tensor logits = engine.tensor(2, 3)) {
            assertThrows(InvalidArgumentException.class, () -> engine.crossEntropy(logits, null, 0f, null));
            assertThrows(JnasException.class, () -> engine.crossEntropy(logits, new int[] {0, 3}, 0f, null));
            assertThrows(JnasException.class, () -> engine.crossEntropy(logits, new int[] {0}, 0f, null));
        }
    }

    @Test
    void badNb201ArchitecturesAndScoreOptionsAreInvalidArguments() {
        InvalidArgumentException arch = assertThrows(InvalidArgumentException.class, () -> engine.nb201Score(
                "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", Nb201ScoreOptions.DEFAULTS));
        assertTrue(arch.nativeMessage().contains("unknown op 'conv' at offset 1"), arch.nativeMessage());
        Nb201ScoreOptions oneSample = new Nb201ScoreOptions(0, Nb201ScoreOptions.NTK, 1, 1, Init.PYTORCH_DEFAULT,
                BnCoupling.FROZEN);
        InvalidArgumentException batch = assertThrows(InvalidArgumentException.class, () -> engine.nb201Score(
                "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", oneSample));
        assertTrue(batch.nativeMessage().contains("options->batch = 1"), batch.nativeMessage());
        stillWorks();
    }

    private void stillWorks() {
        try (Tensor t = assertDoesNotThrow(() -> engine.tensor(2, 2))) {
            t.write(new float[] {1, 2, 3, 4});
            assertEquals(3f, t.read()[2]);
        }
    }
}
