package dev.jnas.search.bayesnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The entropy rule on constructed variances, and the HARD property: pruning an edge prunes its ops. */
class EntropyRuleTest {
    @Test
    void aSwitchIsPrunedExactlyWhenItsEntropyIsNotPositive() {
        double threshold = 1 / (2 * Math.PI * Math.E);
        assertEquals(0.0585498, EntropyRule.VARIANCE_THRESHOLD, 1e-7);
        assertEquals(0, EntropyRule.entropy(threshold), 1e-15);
        assertTrue(EntropyRule.pruned(threshold));
        assertTrue(EntropyRule.pruned(0.05));
        assertTrue(EntropyRule.pruned(0));
        assertFalse(EntropyRule.pruned(threshold * (1 + 1e-9)));
        assertFalse(EntropyRule.pruned(1));
        assertEquals(0.5 * Math.log(2 * Math.PI * Math.E), EntropyRule.entropy(1), 1e-15);
    }

    @Test
    void pruningAnEdgePrunesItsOps() {
        assertArrayEquals(new boolean[] {false, false, false},
                EntropyRule.survivingOps(0.05, new double[] {0.5, 1.0, 0.01}));
        assertArrayEquals(new boolean[] {true, true, false},
                EntropyRule.survivingOps(0.2, new double[] {0.5, 1.0, 0.01}));
    }
}
