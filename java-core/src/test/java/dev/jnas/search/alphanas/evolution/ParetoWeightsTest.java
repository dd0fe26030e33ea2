package dev.jnas.search.alphanas.evolution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoWeightsTest {
    private static final double EPS = 1e-12;

    /**
     * Costs 100, 300, 300 and qualities 0.8, 0.9, 0.8 normalize to A (0, 0), B (1, 1), C (1, 0). A and B are
     * Pareto-optimal; C is dominated by both, 1/√2 from the segment A–B. Without A the front of the rest is B alone
     * (B dominates C), √2 from A, and the other way round for B.
     */
    @Test
    void paretoOptimalPointsWeighNegativeAndDominatedOnesTheirDistance() {
        double[] weights = ParetoWeights.of(new double[] {0.8, 0.9, 0.8}, new double[] {100, 300, 300});
        assertArrayEquals(new double[] {-Math.sqrt(2), -Math.sqrt(2), 1 / Math.sqrt(2)}, weights, EPS);
    }

    /**
     * Adding D (0.5, 0.75) to A, B, C (already normalized): the front is A, D, B. D weighs minus its distance to
     * the line A–B, |0.75 − 0.5| / √2. C's nearest point on A–D–B is on A–D: t = 0.5 / 0.8125 of the way.
     */
    @Test
    void aPointBetweenFrontPointsWeighsItsDistanceToTheLineOfTheOthers() {
        double[] weights = ParetoWeights.of(new double[] {0, 1, 0, 0.75}, new double[] {0, 1, 1, 0.5});
        double t = 0.5 / 0.8125;
        double c = Math.hypot(1 - 0.5 * t, 0 - 0.75 * t);
        assertEquals(-0.25 / Math.sqrt(2), weights[3], EPS);
        assertEquals(c, weights[2], EPS);
        assertEquals(List.of(0, 3, 1), ParetoWeights.front(List.of(0, 1, 2, 3), new double[] {0, 1, 1, 0.5},
                new double[] {0, 1, 0, 0.75}));
        // A: the others' front is D, B; A's nearest point is D itself (the segment D–B starts there).
        assertEquals(-Math.hypot(0.5, 0.75), weights[0], EPS);
    }

    @Test
    void equalPointsAreBothOptimalAndWeighNothing() {
        assertArrayEquals(new double[] {0, 0}, ParetoWeights.of(new double[] {0.5, 0.5}, new double[] {10, 10}), EPS);
        assertArrayEquals(new double[] {0}, ParetoWeights.of(new double[] {0.5}, new double[] {10}), EPS);
    }
}
