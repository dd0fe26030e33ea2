package dev.jnas.search.bayesnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GroupLassoTest {
    /** λ·ω·‖(3, −4)‖ = 0.01 · 2 · 5. */
    @Test
    void penaltyIsTheWeightedNorm() {
        assertEquals(0.1, GroupLasso.penalty(0.01, 2, new double[] {3, -4}), 1e-15);
    }

    @Test
    void gradientMatchesCentralDifferencesOfThePenalty() {
        double lambda = 0.007;
        double omega = 1.3;
        double[] switches = {0.9, -0.2, 0.45, 1.7, 0.05, -1.1};
        double[] gradient = GroupLasso.gradient(lambda, omega, switches);
        double h = 1e-6;
        for (int c = 0; c < switches.length; c++) {
            double[] up = switches.clone();
            double[] down = switches.clone();
            up[c] += h;
            down[c] -= h;
            double difference = (GroupLasso.penalty(lambda, omega, up) - GroupLasso.penalty(lambda, omega, down))
                    / (2 * h);
            assertEquals(difference, gradient[c], 1e-9, "switch " + c);
        }
    }

    /** (3, −4)/5 scaled by λ·ω = 0.02. */
    @Test
    void gradientOnHandNumbers() {
        assertArrayEquals(new double[] {0.012, -0.016}, GroupLasso.gradient(0.01, 2, new double[] {3, -4}), 1e-15);
    }

    @Test
    void aGroupAtZeroGetsTheZeroSubgradient() {
        assertArrayEquals(new double[] {0, 0, 0}, GroupLasso.gradient(0.01, 2, new double[3]));
    }
}
