package dev.jnas.space.mbconv;

import static dev.jnas.space.mbconv.MbconvArchitecture.encodingIndex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tiny layout: cifar, 1 input channel, 8x8 images, width 0.125, one layer per stage. Channels: stem 4, first 2,
 * stages 4, 5, 10, 12, 24, 40, head 160; sizes: stem 8, layers 8→8, 8→4, 4→2, 2→2, 2→1, 1→1.
 *
 * <p>Hand-computed MACs (out channels · out pixels · k² · in channels / groups):
 * base = stem 4·64·9·1 = 2304 + first dw 4·64·9 = 2304 + first project 2·64·4 = 512 + head 160·1·40 = 6400
 * = 11520.
 * <pre>
 * layer  C  depthwise (k3, k5, k7)       expand 6C·C·Sin²   project out·Sout²·6C
 *   0    2  2·64·k²  = 1152, 3200, 6272   12·64·2 = 1536     4·64·12 = 3072
 *   1    4  4·16·k²  =  576, 1600, 3136   24·64·4 = 6144     5·16·24 = 1920
 *   2    5  5·4·k²   =  180,  500,  980   30·16·5 = 2400     10·4·30 = 1200
 *   3   10  10·4·k²  =  360, 1000, 1960   60·4·10 = 2400     12·4·60 = 2880
 *   4   12  12·1·k²  =  108,  300,  588   72·4·12 = 3456     24·1·72 = 1728
 *   5   24  24·1·k²  =  216,  600, 1176   144·1·24 = 3456    40·1·144 = 5760
 * </pre>
 */
class FlopsTableTest {
    static final MbconvLayout TINY = MbconvLayout.cifar(1, 8, 10).scaled(0.125, new int[] {1, 1, 1, 1, 1, 1});
    private static final double EXACT = 1e-12;

    private final FlopsTable table = new FlopsTable(TINY);

    @Test
    void tableHoldsTheHandComputedCosts() {
        assertEquals(11520e-6, table.base(), EXACT);
        double[][] depthwise = {{1152, 3200, 6272}, {576, 1600, 3136}, {180, 500, 980}, {360, 1000, 1960},
                {108, 300, 588}, {216, 600, 1176}};
        double[] expand = {1536, 6144, 2400, 2400, 3456, 3456};
        double[] project = {3072, 1920, 1200, 2880, 1728, 5760};
        for (int l = 0; l < 6; l++) {
            for (SubBlockChoice kernel : SubBlockChoice.KERNELS) {
                assertEquals(depthwise[l][kernel.ordinal()] * 1e-6, table.depthwise(l, kernel), EXACT);
            }
            assertEquals(0, table.depthwise(l, SubBlockChoice.SKIP));
            assertEquals(expand[l] * 1e-6, table.expand(l), EXACT);
            assertEquals(project[l] * 1e-6, table.project(l), EXACT);
        }
    }

    /**
     * 357xxx: 1152+3200+6272 + 3/6·1536 + 3/6·3072 = 12928; 3xxxxx (expansion 1, no expand): 576 + 1/6·1920 = 896;
     * 55555x: 5·500 + 5/6·2400 + 5/6·1200 = 5500; 777777: 6·1960 + 2400 + 2880 = 17040; 3x5x7x: 996 + 1728 + 864 =
     * 3588; 5xxxxx: 600 + 960 = 1560. With the base: 53032.
     */
    @Test
    void oneHotFlopsAreTheHandComputedSum() {
        MbconvArchitecture architecture = MbconvArchitecture.parse("357xxx|3xxxxx|55555x|777777|3x5x7x|5xxxxx", 6);
        assertEquals(53032e-6, table.flops(architecture), EXACT);
    }

    /**
     * Layer 1's sub-block 1 softened to K3 0.25, K5 0.005 (at most the threshold: not counted), skip 0.745:
     * Σ skip = 4.745 &lt; 5, so 1 − s = 1.255/6 and layer 1 costs 576 + 0.25·576 + 1.255/6·(6144 + 1920) = 2406.72
     * instead of 896.
     */
    @Test
    void softFlopsFollowTheReferenceFormula() {
        float[] p = MbconvArchitecture.parse("357xxx|3xxxxx|55555x|777777|3x5x7x|5xxxxx", 6).oneHot();
        p[encodingIndex(1, 1, SubBlockChoice.K3)] = 0.25f;
        p[encodingIndex(1, 1, SubBlockChoice.K5)] = 0.005f;
        p[encodingIndex(1, 1, SubBlockChoice.SKIP)] = 0.745f;
        assertEquals((53032 - 896 + 2406.72) * 1e-6, table.flops(p), 1e-10);
    }

    /** A depthwise weight counts only above 0.01; at 0.01 it is gated off, both in value and in gradient. */
    @Test
    void depthwiseGateIsStrict() {
        float[] p = MbconvArchitecture.parse("777777|777777|777777|777777|777777|777777", 6).oneHot();
        int index = encodingIndex(2, 3, SubBlockChoice.K3);
        double without = table.flops(p);
        p[index] = MbconvSupernet.MIXING_THRESHOLD;
        assertEquals(without, table.flops(p), 0);
        assertEquals(0f, table.gradient(p)[index]);
        p[index] = Math.nextUp(MbconvSupernet.MIXING_THRESHOLD);
        assertEquals(without + p[index] * 180e-6, table.flops(p), EXACT);
        assertEquals((float) 180e-6, table.gradient(p)[index]);
    }

    /** Five skipped sub-blocks drop the expand term; the skip entries' derivative is −(expand + project)/6 below. */
    @Test
    void expansionOneGateDropsTheExpandConv() {
        float[] p = MbconvArchitecture.parse("33xxxx|3xxxxx|3xxxxx|3xxxxx|3xxxxx|3xxxxx", 6).oneHot();
        float[] gradient = table.gradient(p);
        assertEquals((float) (-(1536 + 3072) / 6.0 * 1e-6), gradient[encodingIndex(0, 4, SubBlockChoice.SKIP)]);
        assertEquals((float) (-1920 / 6.0 * 1e-6), gradient[encodingIndex(1, 4, SubBlockChoice.SKIP)]);
        assertEquals((float) (-1920 / 6.0 * 1e-6), gradient[encodingIndex(1, 0, SubBlockChoice.SKIP)]);
        assertEquals((float) (576e-6), gradient[encodingIndex(1, 0, SubBlockChoice.K3)]);
        assertEquals(0f, gradient[encodingIndex(1, 0, SubBlockChoice.K5)]);
    }

    /** Between gates the formula is affine: f(p + t·d) = f(p) + t·(∇f · d) for steps that cross no gate. */
    @Test
    void softFlopsAreLinearBetweenGates() {
        SplittableRandom random = new SplittableRandom(11);
        float[] p = softArchitecture(random);
        float[] direction = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            direction[i] = (float) random.nextDouble(-0.01, 0.01);
        }
        float[] gradient = table.gradient(p);
        double slope = 0;
        for (int i = 0; i < p.length; i++) {
            slope += (double) gradient[i] * direction[i];
        }
        double at0 = table.flops(p);
        for (double t : new double[] {-1, -0.5, 0.5, 1}) {
            float[] moved = p.clone();
            double exactSlope = 0;
            for (int i = 0; i < p.length; i++) {
                moved[i] = (float) (p[i] + t * direction[i]);
                exactSlope += (double) gradient[i] * (moved[i] - p[i]);
            }
            assertEquals(at0 + exactSlope, table.flops(moved), 1e-9, "t = " + t);
            assertEquals(at0 + t * slope, table.flops(moved), 1e-8, "t = " + t);
        }
    }

    /** Central differences of every entry, away from the gates, match the analytic gradient. */
    @Test
    void gradientMatchesFiniteDifferences() {
        float[] p = softArchitecture(new SplittableRandom(5));
        float[] gradient = table.gradient(p);
        for (int i = 0; i < p.length; i++) {
            float[] plus = p.clone();
            float[] minus = p.clone();
            plus[i] = p[i] + 1e-3f;
            minus[i] = p[i] - 1e-3f;
            double difference = (table.flops(plus) - table.flops(minus)) / ((double) plus[i] - minus[i]);
            assertEquals(gradient[i], difference, 1e-6 * Math.max(1e-3, Math.abs(gradient[i])), "entry " + i);
            assertTrue(gradient[i] != 0, "entry " + i + " lies on a counted piece, so its derivative is not 0");
        }
    }

    @Test
    void rejectsAnEncodingOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.flops(new float[24]));
        assertEquals("p has 24 values, expected 6 layers x 24", e.getMessage());
    }

    /**
     * Normalized weights per sub-block with every entry in [0.1, 0.5], so a layer's skip entries sum to at most 3
     * and steps of 0.01 cross neither the 0.01 gate nor Σ skip = 5.
     */
    private static float[] softArchitecture(SplittableRandom random) {
        float[] p = new float[TINY.layerCount() * MbconvLayout.COLUMNS];
        for (int l = 0; l < TINY.layerCount(); l++) {
            for (int b = 0; b < MbconvLayout.SUB_BLOCKS; b++) {
                double[] weights = new double[MbconvLayout.CHOICES];
                double sum = 0;
                for (int c = 0; c < weights.length; c++) {
                    weights[c] = 1 + random.nextDouble(0, 2);
                    sum += weights[c];
                }
                for (SubBlockChoice choice : SubBlockChoice.values()) {
                    p[encodingIndex(l, b, choice)] = (float) (weights[choice.ordinal()] / sum);
                }
            }
        }
        return p;
    }
}
