package dev.jnas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.GraphMacs;
import org.junit.jupiter.api.Test;

class ShapesTest {
    @Test
    void gemmCountsTwoFlopsPerMultiplyAdd() {
        assertEquals(2 * 2 * 3 * 4, Shapes.gemmFlops("2x3x4"));
    }

    @Test
    void ntkCountsTheForwardTheBackwardSamplesAndTheGram() {
        GraphMacs macs = new GraphMacs(90, 10);  // 100 multiply-adds per sample
        // B = 4, P = 10: forward 2·100·4; backward data + weights 2·(2·100)·16 exact, ·4 frozen; Gram 2·16·10.
        assertEquals(800 + 6400 + 320, Shapes.ntkFlops(macs, 4, 10, BnCoupling.EXACT));
        assertEquals(800 + 1600 + 320, Shapes.ntkFlops(macs, 4, 10, BnCoupling.FROZEN));
    }

    @Test
    void trainingIsThreeForwards() {
        GraphMacs macs = new GraphMacs(5, 0);
        assertEquals(2 * 5 * 8, Shapes.forwardFlops(macs, 8));
        assertEquals(3 * 2 * 5 * 8, Shapes.trainingFlops(macs, 8));
    }

    @Test
    void eigenvaluesCostFourThirdsNCubed() {
        assertEquals(36, Shapes.eigenvalueFlops(3), 1e-12);
    }
}
