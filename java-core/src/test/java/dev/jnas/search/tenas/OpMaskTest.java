package dev.jnas.search.tenas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpMaskTest {
    @Test
    void weightsAreUniformOverTheActiveOps() {
        OpMask mask = OpMask.full(1, 2, 4).without(0, 1, 0);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, mask.weights(0, 0));
        assertArrayEquals(new float[] {0f, 1f / 3, 1f / 3, 1f / 3}, mask.weights(0, 1));
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, mask.without(0, 1, 1).without(0, 1, 2).without(0, 1, 3)
                .weights(0, 1));
    }

    @Test
    void singlePathWhenNoEdgeHasTwoOps() {
        OpMask mask = OpMask.full(2, 1, 2);
        assertFalse(mask.isSinglePath());
        mask = mask.without(0, 0, 0).without(1, 0, 1);
        assertTrue(mask.isSinglePath());
        assertEquals(1, mask.singleOp(0, 0));
        assertEquals(0, mask.singleOp(1, 0));
    }

    @Test
    void encodesAndDecodes() {
        OpMask mask = OpMask.full(2, 3, 4).without(1, 2, 3).without(0, 0, 0);
        assertEquals("0111,1111,1111;1111,1111,1110", mask.encode());
        assertEquals(mask, OpMask.decode(mask.encode()));
    }

    @Test
    void badTextAndDoublePrunesAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> OpMask.decode("01x1"));
        assertThrows(IllegalArgumentException.class, () -> OpMask.decode("011,01"));
        assertThrows(IllegalArgumentException.class, () -> OpMask.full(1, 1, 2).without(0, 0, 1).without(0, 0, 1));
    }
}
