package dev.jnas.search.sgnas;

import static dev.jnas.search.sgnas.ArchitectureMap.COLUMNS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generator's FLOPs gradient end to end on the host: loss = L_hc(F(p(logits))) with p a soft Gumbel-softmax
 * sample and F a random linear function of p (a stand-in for the FLOPs table, which is linear in p), so
 * dLoss/dlogits = backward(L_hc'(F) · ∇F). It must match central differences on the logits, noise fixed.
 */
class FlopsLossChainTest {
    private static final int LAYERS = 3;
    private static final long NOISE_SEED = 23;
    private static final double TAU = 1.3;

    /** @param offset target − F(p): over budget (negative) or under (positive), well outside the dead zone */
    @ParameterizedTest
    @ValueSource(doubles = {-4, 6})
    void chainRuleMatchesFiniteDifferences(double offset) {
        SplittableRandom random = new SplittableRandom(31);
        float[] logits = new float[LAYERS * COLUMNS];
        double[] flopsPerEntry = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (2 * random.nextDouble() - 1);
            flopsPerEntry[i] = 3 * random.nextDouble();
        }
        double baseFlops = 40;
        HardwareConstraintLoss hc = new HardwareConstraintLoss();
        GumbelSoftmax.Sample sample = GumbelSoftmax.sample(logits, LAYERS, TAU, new SplittableRandom(NOISE_SEED));
        double flops = linearFlops(sample.p(), baseFlops, flopsPerEntry);
        double target = flops + offset;
        float[] dLossDp = new float[logits.length];
        double dLossDFlops = hc.derivative(flops, target);
        assertTrue(dLossDFlops != 0, "the target lies outside the dead zone");
        for (int i = 0; i < dLossDp.length; i++) {
            dLossDp[i] = (float) (dLossDFlops * flopsPerEntry[i]);
        }
        float[] grad = sample.backward(dLossDp);
        for (int i = 0; i < logits.length; i++) {
            float original = logits[i];
            float up = original + 1e-2f;
            float down = original - 1e-2f;
            logits[i] = up;
            double lossUp = loss(logits, baseFlops, flopsPerEntry, target, hc);
            logits[i] = down;
            double lossDown = loss(logits, baseFlops, flopsPerEntry, target, hc);
            logits[i] = original;
            double numeric = (lossUp - lossDown) / ((double) up - down);
            assertEquals(numeric, grad[i], 1e-7 + 2e-3 * Math.abs(numeric), "dLoss/dlogits[" + i + "]");
        }
    }

    private static double loss(float[] logits, double baseFlops, double[] flopsPerEntry, double target,
                               HardwareConstraintLoss hc) {
        float[] p = GumbelSoftmax.sample(logits, LAYERS, TAU, new SplittableRandom(NOISE_SEED)).p();
        return hc.value(linearFlops(p, baseFlops, flopsPerEntry), target);
    }

    private static double linearFlops(float[] p, double baseFlops, double[] flopsPerEntry) {
        double flops = baseFlops;
        for (int i = 0; i < p.length; i++) {
            flops += p[i] * flopsPerEntry[i];
        }
        return flops;
    }
}
