package dev.jnas.search.bayesnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Laplace/ARD update on hand-computed numbers, and the HARD cap of op variances by their edge's. */
class ArdUpdateTest {
    private static final double EPS = 1e-12;
    private final ArdUpdate update = new ArdUpdate(0.01, 0.01);

    /**
     * s = (0.6, 0.8), H = (0.02, 0.04), γ = 0.5, λ = 0.01: H̃ = (2, 4), C = (1/4, 1/6),
     * ω² = |2 − 1| + |2 − 2/3| = 7/3, γ' = 1/ω.
     */
    @Test
    void originSwitchesFollowTheLaplaceUpdate() {
        ArdUpdate.Result result = update.origin(new SwitchGroup(new double[] {0.6, 0.8}, new double[] {0.02, 0.04},
                0.5, true));
        assertArrayEquals(new double[] {0.25, 1.0 / 6}, result.covariances(), EPS);
        assertEquals(Math.sqrt(7.0 / 3), result.omega(), EPS);
        assertEquals(1 / Math.sqrt(7.0 / 3), result.gamma(), EPS);
    }

    /**
     * A switch the loss barely feels: s = 0.5, H = 1e-22, γ = 1, λ = 0.01, so H̃ = 1e-20 and 1/γ − C/γ² = 1 − 1/(1 +
     * 1e-20) is 0 in double. ω² is H̃/(1 + γH̃) = 1e-20 (to double precision), so ω = 1e-10 and γ' = 5e9, finite.
     */
    @Test
    void aTinyHessianGivesAFiniteGammaRatherThanACancellation() {
        ArdUpdate.Result result = update.origin(new SwitchGroup(new double[] {0.5}, new double[] {1e-22}, 1.0, true));
        assertEquals(1e-10, result.omega(), 1e-22);
        assertEquals(5e9, result.gamma(), 1e-3);
    }

    /**
     * s = (0.3, 0.4), H = (0.01, 0), γ = 1: C = (1/2, 1), ω² = 1/2, γ' = 0.5/√0.5 = √0.5, then combined with the
     * edge's γ_e: (1/√0.5 + 1/γ_e)⁻¹.
     */
    @Test
    void opSwitchesAreCombinedWithTheirEdge() {
        double edgeGamma = 1 / Math.sqrt(7.0 / 3);
        ArdUpdate.Result result = update.op(new SwitchGroup(new double[] {0.3, 0.4}, new double[] {0.01, 0}, 1.0,
                false), edgeGamma);
        assertArrayEquals(new double[] {0.5, 1.0}, result.covariances(), EPS);
        assertEquals(Math.sqrt(0.5), result.omega(), EPS);
        assertEquals(1 / (1 / Math.sqrt(0.5) + 1 / edgeGamma), result.gamma(), EPS);
    }

    @Test
    void anOpNeverKeepsMoreVarianceThanItsEdge() {
        SplittableRandom random = new SplittableRandom(4);
        for (int trial = 0; trial < 1000; trial++) {
            double[] s = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
            double[] h = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
            double edgeGamma = 10 * random.nextDouble();
            double opGamma = update.op(new SwitchGroup(s, h, 0.01 + random.nextDouble(), false), edgeGamma).gamma();
            assertTrue(opGamma <= edgeGamma, opGamma + " > " + edgeGamma);
        }
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ArdUpdate(0, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new SwitchGroup(new double[] {1}, new double[] {}, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new SwitchGroup(new double[] {1}, new double[] {1}, 0, true));
        SwitchGroup op = new SwitchGroup(new double[] {1}, new double[] {1}, 1, false);
        assertThrows(IllegalArgumentException.class, () -> update.origin(op));
    }
}
