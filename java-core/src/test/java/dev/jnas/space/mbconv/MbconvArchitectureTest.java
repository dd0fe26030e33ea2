package dev.jnas.space.mbconv;

import static dev.jnas.space.mbconv.SubBlockChoice.K3;
import static dev.jnas.space.mbconv.SubBlockChoice.K5;
import static dev.jnas.space.mbconv.SubBlockChoice.K7;
import static dev.jnas.space.mbconv.SubBlockChoice.SKIP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MbconvArchitectureTest {
    @Test
    void textRoundTrips() {
        String text = "357xxx|3xxxxx|55555x|777777|3x5x7x";
        MbconvArchitecture architecture = MbconvArchitecture.parse(text, 5);
        assertEquals(text, architecture.toString());
        assertEquals(architecture, MbconvArchitecture.parse(architecture.toString(), 5));
        assertEquals(architecture.hashCode(), MbconvArchitecture.parse(text, 5).hashCode());
        assertNotEquals(architecture, MbconvArchitecture.parse("357xxx|3xxxxx|55555x|777777|3x5x75", 5));
        assertEquals(K7, architecture.choice(4, 4));
        assertEquals(SKIP, architecture.choice(4, 5));
    }

    @Test
    void expansionAndKernelsCountTheSubBlocksThatDoNotSkip() {
        MbconvArchitecture architecture = MbconvArchitecture.parse("357xxx|3xxxxx|75x3x5|777777", 4);
        assertEquals(3, architecture.expansion(0));
        assertEquals(1, architecture.expansion(1));
        assertEquals(6, architecture.expansion(3));
        assertArrayEquals(new int[] {3, 5, 7}, architecture.kernels(0));
        assertArrayEquals(new int[] {3}, architecture.kernels(1));
        assertEquals(4, architecture.expansion(2));
        assertArrayEquals(new int[] {7, 5, 3, 5}, architecture.kernels(2));
    }

    @Test
    void parseErrorsNameTheSpot() {
        assertMessage("has 2 layers, expected 3", () -> MbconvArchitecture.parse("357xxx|3xxxxx", 3));
        assertMessage("has 2 layers, expected 1", () -> MbconvArchitecture.parse("357xxx|", 1));
        assertMessage("layer 1 of architecture '357xxx|3xxxx' is '3xxxx' with 5 symbols, expected 6",
                () -> MbconvArchitecture.parse("357xxx|3xxxx", 2));
        assertMessage("layer 1, sub-block 3 of architecture '357xxx|35x9xx': unknown symbol '9' (expected one of 3, 5, "
                + "7, x)", () -> MbconvArchitecture.parse("357xxx|35x9xx", 2));
        assertMessage("layer 1: sub-block 0 is skip, but sub-block 0 never skips",
                () -> MbconvArchitecture.parse("357xxx|x35xxx", 2));
    }

    @Test
    void constructorRejectsBadMatrices() {
        assertMessage("at least 1 layer", () -> new MbconvArchitecture(new SubBlockChoice[0][]));
        assertMessage("layer 0 has 5 sub-blocks, expected 6",
                () -> new MbconvArchitecture(new SubBlockChoice[][] {{K3, K5, K7, SKIP, SKIP}}));
        assertThrows(NullPointerException.class,
                () -> new MbconvArchitecture(new SubBlockChoice[][] {{K3, K5, null, SKIP, SKIP, SKIP}}));
    }

    @Test
    void copiesTheMatrixItIsGiven() {
        SubBlockChoice[][] choices = {{K3, K5, K7, SKIP, SKIP, SKIP}};
        MbconvArchitecture architecture = new MbconvArchitecture(choices);
        choices[0][1] = SKIP;
        assertEquals(K5, architecture.choice(0, 1));
    }

    /** Layer-major, sub-block b's choice c at layer · 24 + b · 4 + c. */
    @Test
    void oneHotPutsEachChoiceInItsColumn() {
        float[] encoding = MbconvArchitecture.parse("357xxx|5x7xx3", 2).oneHot();
        assertEquals(48, encoding.length);
        int[] ones = {0, 5, 10, 15, 19, 23, 24 + 1, 24 + 7, 24 + 10, 24 + 15, 24 + 19, 24 + 20};
        float[] expected = new float[48];
        for (int index : ones) {
            expected[index] = 1;
        }
        assertArrayEquals(expected, encoding);
        assertEquals(24 + 4 * 5 + 3, MbconvArchitecture.encodingIndex(1, 5, SKIP));
    }

    @Test
    void fromLogitsDecodesTheOneHot() {
        MbconvArchitecture architecture = MbconvArchitecture.parse("357xxx|5x7xx3", 2);
        assertEquals(architecture, MbconvArchitecture.fromLogits(architecture.oneHot(), 2));
    }

    /** Sub-block 0 picks among its kernels even where skip is the largest; ties go to the first column. */
    @Test
    void fromLogitsKeepsSubBlockZeroAndBreaksTiesLow() {
        float[] logits = new float[24];
        logits[0] = -1;
        logits[1] = 0.5f;
        logits[2] = 0.25f;
        logits[3] = 9;
        // sub-block 1: every entry 0, so K3 by the tie rule; sub-block 2: K7 and skip tie at 2, K7 comes first.
        logits[8 + 2] = 2;
        logits[8 + 3] = 2;
        // sub-blocks 3..5: skip largest
        for (int b = 3; b < 6; b++) {
            logits[4 * b + 3] = 1;
        }
        assertEquals("537xxx", MbconvArchitecture.fromLogits(logits, 1).toString());
    }

    @Test
    void fromLogitsRejectsBadInput() {
        assertMessage("logits has 23 values, expected 1 layers x 24",
                () -> MbconvArchitecture.fromLogits(new float[23], 1));
        float[] logits = new float[48];
        logits[24 + 4 * 2 + 1] = Float.NaN;
        assertMessage("layer 1, sub-block 2, K5 is NaN", () -> MbconvArchitecture.fromLogits(logits, 2));
    }

    private static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
