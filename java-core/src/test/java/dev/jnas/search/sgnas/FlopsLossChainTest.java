package dev.jnas.search.sgnas;

import static dev.jnas.search.sgnas.ArchitectureMap.COLUMNS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import dev.jnas.space.mbconv.FlopsTable;
import dev.jnas.space.mbconv.MbconvLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gradient of the FLOPs loss w.r.t. the generator's output, end to end on the host: loss = L_hc(F(p(logits)))
 * with p a soft Gumbel-softmax sample and F the FLOPs table of a small supernet (linear in p away from its gates),
 * so dLoss/dlogits = backward(L_hc'(F) · ∇F). It must match central differences on the logits, noise fixed.
 */
class FlopsLossChainTest {
    private static final MbconvLayout LAYOUT = MbconvLayout.cifar(1, 28, 10).scaled(0.25, new int[] {1, 1, 1, 1, 1, 1});
    private static final FlopsTable TABLE = new FlopsTable(LAYOUT);
    private static final int LAYERS = LAYOUT.layerCount();
    private static final long NOISE_SEED = 23;
    private static final double TAU = 1.3;

    /** @param offset (target − F(p)) / F(p): over budget (negative) or under (positive), outside the dead zone */
    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 0.15})
    void chainRuleMatchesFiniteDifferences(double offset) {
        SplittableRandom random = new SplittableRandom(31);
        float[] logits = new float[LAYERS * COLUMNS];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (2 * random.nextDouble() - 1);
        }
        GumbelSoftmax.Sample sample = GumbelSoftmax.sample(logits, LAYERS, TAU, new SplittableRandom(NOISE_SEED));
        double flops = TABLE.flops(sample.p());
        double target = flops * (1 + offset);
        HardwareConstraintLoss hc = new HardwareConstraintLoss().inUnits(flops / 100);
        double dLossDFlops = hc.derivative(flops, target);
        assertTrue(dLossDFlops != 0, "the target lies outside the dead zone");
        float[] dFlopsDp = TABLE.gradient(sample.p());
        float[] dLossDp = new float[logits.length];
        for (int i = 0; i < dLossDp.length; i++) {
            dLossDp[i] = (float) (dLossDFlops * dFlopsDp[i]);
        }
        float[] grad = sample.backward(dLossDp);
        for (int i = 0; i < logits.length; i++) {
            float original = logits[i];
            float up = original + 1e-2f;
            float down = original - 1e-2f;
            logits[i] = up;
            double lossUp = loss(logits, target, hc);
            logits[i] = down;
            double lossDown = loss(logits, target, hc);
            logits[i] = original;
            double numeric = (lossUp - lossDown) / ((double) up - down);
            assertEquals(numeric, grad[i], 1e-7 + 2e-3 * Math.abs(numeric), "dLoss/dlogits[" + i + "]");
        }
    }

    private static double loss(float[] logits, double target, HardwareConstraintLoss hc) {
        float[] p = GumbelSoftmax.sample(logits, LAYERS, TAU, new SplittableRandom(NOISE_SEED)).p();
        return hc.value(TABLE.flops(p), target);
    }
}
