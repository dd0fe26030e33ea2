package dev.jnas.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** τ-b against hand-computed cases (with ties) and against the O(n²) definition on random data with ties. */
class KendallTauTest {
    private static final double EPS = 1e-12;

    @Test
    void perfectAgreementAndReversal() {
        double[] x = {1, 2, 3, 4, 5};
        assertEquals(1.0, KendallTau.tauB(x, new double[] {10, 20, 30, 40, 50}), EPS);
        assertEquals(-1.0, KendallTau.tauB(x, new double[] {5, 4, 3, 2, 1}), EPS);
    }

    @Test
    void oneSwapWithoutTies() {
        // Pairs: 6; only (3,4) is discordant: (C - D)/n0 = (5 - 1)/6.
        assertEquals(4.0 / 6, KendallTau.tauB(new double[] {1, 2, 3, 4}, new double[] {1, 2, 4, 3}), EPS);
    }

    @Test
    void tiesInBothRankings() {
        // x = 1,2,2,3; y = 1,3,2,2. Pairs (i<j): 12 C; 13 C; 14 C; 23 tied x; 24 D (x 2<3, y 3>2); 34 tied y.
        // C=3, D=1, n0=6, n1=1 (x), n2=1 (y): tau-b = 2 / sqrt(5*5) = 0.4.
        assertEquals(0.4, KendallTau.tauB(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 2}), EPS);
    }

    @Test
    void pairsTiedInBoth() {
        // x = 1,1,2; y = 5,5,6: pair 12 tied in both, 13 and 23 concordant. n1 = n2 = 1: 2 / sqrt(2*2) = 1.
        assertEquals(1.0, KendallTau.tauB(new double[] {1, 1, 2}, new double[] {5, 5, 6}), EPS);
        // x = 1,1,2,2; y = 1,2,1,2: 12 and 34 tied in x, 13 and 24 tied in y, 14 C, 23 D: C - D = 0.
        assertEquals(0.0, KendallTau.tauB(new double[] {1, 1, 2, 2}, new double[] {1, 2, 1, 2}), EPS);
    }

    @Test
    void infinitiesRankAsExtremes() {
        double[] x = {Double.NEGATIVE_INFINITY, 0, Double.POSITIVE_INFINITY};
        assertEquals(1.0, KendallTau.tauB(x, new double[] {1, 2, 3}), EPS);
    }

    @Test
    void undefinedForAConstantSideOrFewerThanTwoPairs() {
        assertTrue(Double.isNaN(KendallTau.tauB(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
        assertTrue(Double.isNaN(KendallTau.tauB(new double[] {1}, new double[] {2})));
        assertTrue(Double.isNaN(KendallTau.tauB(new double[0], new double[0])));
    }

    @Test
    void rejectsNaNAndMismatchedLengths() {
        assertThrows(IllegalArgumentException.class,
                () -> KendallTau.tauB(new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> KendallTau.tauB(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void equalsTheQuadraticDefinitionOnRandomDataWithManyTies() {
        Random random = new Random(42);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + random.nextInt(300);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = random.nextInt(1 + trial % 7 * 5);
                y[i] = random.nextInt(1 + trial % 5 * 7) + 0.5 * x[i];
            }
            double expected = quadratic(x, y);
            double actual = KendallTau.tauB(x, y);
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(actual), "trial " + trial);
            } else {
                assertEquals(expected, actual, 1e-12, "trial " + trial + ", n " + n);
            }
        }
    }

    /** τ-b straight from its definition over all pairs. */
    private static double quadratic(double[] x, double[] y) {
        long concordant = 0;
        long discordant = 0;
        long tiedXOnly = 0;
        long tiedYOnly = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                int sx = Double.compare(x[i], x[j]);
                int sy = Double.compare(y[i], y[j]);
                if (sx == 0 && sy != 0) {
                    tiedXOnly++;
                } else if (sy == 0 && sx != 0) {
                    tiedYOnly++;
                } else if (sx != 0) {
                    if (sx == sy) {
                        concordant++;
                    } else {
                        discordant++;
                    }
                }
            }
        }
        double denominator = Math.sqrt((double) (concordant + discordant + tiedXOnly)
                * (concordant + discordant + tiedYOnly));
        return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
    }
}
