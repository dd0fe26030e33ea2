package dev.jnas.search.sgnas;

import static dev.jnas.search.sgnas.ArchitectureMap.CHOICES;
import static dev.jnas.search.sgnas.ArchitectureMap.COLUMNS;
import static dev.jnas.search.sgnas.ArchitectureMap.SKIP;
import static dev.jnas.search.sgnas.ArchitectureMap.SUB_BLOCKS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import dev.jnas.space.mbconv.MbconvArchitecture;

class GumbelSoftmaxTest {
    private static final int LAYERS = 2;
    private static final long NOISE_SEED = 17;

    /**
     * At τ = 1 the arg-max of a sample is the Gumbel-max trick's draw from softmax(logits), so over n samples
     * each entry's frequency is binomial around its softmax probability: it must lie within 5 standard errors.
     */
    @Test
    void hardSamplesFollowTheSoftmax() {
        float[] logits = randomLogits(3, 1.5);
        float[] expected = GumbelSoftmax.softmax(logits, LAYERS);
        int samples = 20_000;
        double[] frequency = new double[logits.length];
        SplittableRandom rng = new SplittableRandom(NOISE_SEED);
        for (int s = 0; s < samples; s++) {
            float[] hard = MbconvArchitecture.fromLogits(GumbelSoftmax.sample(logits, LAYERS, 1, rng).p(), LAYERS).oneHot();
            for (int i = 0; i < hard.length; i++) {
                frequency[i] += hard[i] / samples;
            }
        }
        for (int i = 0; i < logits.length; i++) {
            double q = expected[i];
            double tolerance = 5 * Math.sqrt(q * (1 - q) / samples) + 1e-12;
            assertEquals(q, frequency[i], tolerance, "entry " + i);
        }
        for (int layer = 0; layer < LAYERS; layer++) {
            assertEquals(0, frequency[layer * COLUMNS + SKIP], "sub-block 0 of layer " + layer + " never skips");
        }
    }

    @Test
    void eachGroupSumsToOneAndTheStaticSkipIsExactlyZero() {
        float[] p = GumbelSoftmax.sample(randomLogits(4, 2), LAYERS, 0.5, new SplittableRandom(NOISE_SEED)).p();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int subBlock = 0; subBlock < SUB_BLOCKS; subBlock++) {
                int start = layer * COLUMNS + subBlock * CHOICES;
                double sum = 0;
                for (int i = start; i < start + CHOICES; i++) {
                    assertTrue(p[i] >= 0 && p[i] <= 1, "p[" + i + "] = " + p[i]);
                    sum += p[i];
                }
                assertEquals(1, sum, 1e-6, "layer " + layer + ", sub-block " + subBlock);
            }
            assertEquals(0f, p[layer * COLUMNS + SKIP], "layer " + layer);
        }
    }

    /**
     * With the noise fixed (the same seed), backward's dLoss/dlogits for loss = Σ c·p equals central differences
     * of the loss through sample(), and is exactly 0 on the static skip entries.
     */
    @Test
    void backwardMatchesFiniteDifferences() {
        double tau = 0.7;
        float[] logits = randomLogits(5, 1);
        float[] c = randomLogits(6, 1);
        GumbelSoftmax.Sample sample = GumbelSoftmax.sample(logits, LAYERS, tau, new SplittableRandom(NOISE_SEED));
        float[] grad = sample.backward(c);
        for (int i = 0; i < logits.length; i++) {
            float original = logits[i];
            float up = original + 1e-2f;
            float down = original - 1e-2f;
            logits[i] = up;
            double lossUp = linearLoss(logits, tau, c);
            logits[i] = down;
            double lossDown = linearLoss(logits, tau, c);
            logits[i] = original;
            double numeric = (lossUp - lossDown) / ((double) up - down);
            assertEquals(numeric, grad[i], 2e-4 + 1e-3 * Math.abs(numeric), "dLoss/dlogits[" + i + "]");
        }
        for (int layer = 0; layer < LAYERS; layer++) {
            assertEquals(0f, grad[layer * COLUMNS + SKIP], "layer " + layer);
        }
    }

    /** Group 0 of the layer: e^0, e^ln2, e^ln3 over 6 and the skip logit ignored; the other groups uniform. */
    @Test
    void softmaxHasTheHandComputedValues() {
        float[] logits = new float[COLUMNS];
        logits[1] = (float) Math.log(2);
        logits[2] = (float) Math.log(3);
        logits[SKIP] = 5;
        float[] p = GumbelSoftmax.softmax(logits, 1);
        assertArrayEquals(new float[] {1 / 6f, 2 / 6f, 3 / 6f, 0}, Arrays.copyOf(p, CHOICES), 1e-7f);
        for (int i = CHOICES; i < COLUMNS; i++) {
            assertEquals(0.25f, p[i], 1e-7f, "entry " + i);
        }
    }

    @Test
    void badInputIsRejectedWithItsPlace() {
        float[] logits = new float[LAYERS * COLUMNS];
        logits[COLUMNS + 2 * CHOICES + 1] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> GumbelSoftmax.softmax(logits, LAYERS));
        assertTrue(nan.getMessage().contains("layer 1, sub-block 2, choice 1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GumbelSoftmax.sample(new float[COLUMNS], 1, 0, new SplittableRandom(1)));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> GumbelSoftmax.softmax(new float[COLUMNS + 1], 1));
        assertTrue(shape.getMessage().contains("25 values"), shape.getMessage());
    }

    private static double linearLoss(float[] logits, double tau, float[] c) {
        float[] p = GumbelSoftmax.sample(logits, LAYERS, tau, new SplittableRandom(NOISE_SEED)).p();
        double loss = 0;
        for (int i = 0; i < p.length; i++) {
            loss += (double) c[i] * p[i];
        }
        return loss;
    }

    private static float[] randomLogits(long seed, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[LAYERS * COLUMNS];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (scale * (2 * random.nextDouble() - 1));
        }
        return logits;
    }
}
