package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.fuzz.Fuzz;
import org.junit.jupiter.api.Test;

/**
 * A batch whose activations cannot fit in memory is an OutOfMemoryException from libjnas that says how many bytes
 * they need, refused before any is allocated, and the net still runs at a batch that fits.
 */
class OutOfMemoryTest {
    private static final int WIDE = 1 << 20;
    /** 2^22 samples of 2^20 activations of 4 bytes: 2^44 bytes, more than any machine this runs on. */
    private static final int HUGE_BATCH = 1 << 22;

    @Test
    void aBatchTooLargeForTheMachineIsOutOfMemoryAndTheNetStillWorks() {
        try (Engine engine = Engine.open(Backend.CPU);
             GraphBuilder graph = GraphBuilder.create()) {
            int x = graph.input(1);
            int output = graph.linear("narrow", graph.linear("wide", x, WIDE), 1);
            try (Net net = Net.compile(engine, graph, output, Init.PYTORCH_DEFAULT, 0);
                 Tensor huge = engine.tensor(HUGE_BATCH, 1);
                 Tensor small = engine.tensor(2, 1)) {
                net.bindInput(x, huge);
                OutOfMemoryException e = assertThrows(OutOfMemoryException.class, net::forward);
                assertEquals(Status.OUT_OF_MEMORY, e.status());
                // The wide layer's and the narrow layer's outputs (the input is the caller's tensor).
                long needed = 4L * HUGE_BATCH * WIDE + 4L * HUGE_BATCH;
                Fuzz.assertNames(e, "jnas_net_forward", "needs " + needed + " bytes of activations");

                net.bindInput(x, small);
                try (Tensor out = net.forward()) {
                    assertArrayEquals(new long[] {2, 1}, out.shape());
                }
            }
        }
    }
}
