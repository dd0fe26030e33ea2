package dev.jnas.search.sgnas;

import static dev.jnas.search.sgnas.ArchitectureMap.CHOICES;
import static dev.jnas.search.sgnas.ArchitectureMap.SUB_BLOCKS;
import static dev.jnas.search.sgnas.ArchitectureMap.allowedChoices;
import static dev.jnas.search.sgnas.ArchitectureMap.groupStart;
import static dev.jnas.search.sgnas.ArchitectureMap.requireShape;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The soft (non-hard) Gumbel-softmax SGNAS applies to the generator's logits while the generator trains:
 * p = softmax((logits + g) / τ) over each sub-block's group of choices, with Gumbel noise g = −log(−log U).
 * PyTorch's {@code F.gumbel_softmax(logits, tau, hard=False)} per group is the reference. Sub-block 0 of
 * every layer softmaxes over its first three choices only (see {@link ArchitectureMap}); its skip probability
 * is exactly 0 and receives no gradient.
 */
public final class GumbelSoftmax {
    /** 2^-53: {@link #uniformOpen} spaces its values this far apart, as nextDouble does. */
    private static final double UNIT = 0x1.0p-53;

    private GumbelSoftmax() {
    }

    /**
     * One soft sample and what its backward pass needs: with the noise fixed, p depends on the logits only
     * through softmax((logits + g) / τ), whose Jacobian needs just p and τ.
     *
     * @param p      layers × {@value ArchitectureMap#COLUMNS} probabilities, each group summing to 1
     * @param layers the number of layers
     * @param tau    the temperature the sample was drawn at
     */
    public record Sample(float[] p, int layers, double tau) {
        public Sample {
            requireShape(p, layers, "p");
            requireTemperature(tau);
        }

        /**
         * dLoss/dlogits from dLoss/dp: (1/τ) · p ⊙ (d − Σ p·d) within each group; 0 for the static skip entries.
         */
        public float[] backward(float[] dLossDp) {
            requireShape(dLossDp, layers, "dLoss/dp");
            float[] grad = new float[p.length];
            for (int layer = 0; layer < layers; layer++) {
                for (int subBlock = 0; subBlock < SUB_BLOCKS; subBlock++) {
                    int start = groupStart(layer, subBlock);
                    int count = allowedChoices(subBlock);
                    double mean = 0;
                    for (int i = start; i < start + count; i++) {
                        mean += (double) p[i] * dLossDp[i];
                    }
                    for (int i = start; i < start + count; i++) {
                        grad[i] = (float) (p[i] * (dLossDp[i] - mean) / tau);
                    }
                }
            }
            return grad;
        }
    }

    /** A soft sample at temperature tau; rng supplies one uniform per allowed entry, layer by layer. */
    public static Sample sample(float[] logits, int layers, double tau, SplittableRandom rng) {
        requireTemperature(tau);
        Objects.requireNonNull(rng, "rng");
        return new Sample(groupSoftmax(logits, layers, tau, rng), layers, tau);
    }

    /** softmax(logits) per group, without noise and at τ = 1: the distribution the Gumbel-softmax samples. */
    public static float[] softmax(float[] logits, int layers) {
        return groupSoftmax(logits, layers, 1, null);
    }

    /** softmax((logits + g) / tau) per group; no noise when rng is null. */
    private static float[] groupSoftmax(float[] logits, int layers, double tau, SplittableRandom rng) {
        requireFinite(logits, layers, "logits");
        float[] p = new float[logits.length];
        double[] scaled = new double[CHOICES];
        for (int layer = 0; layer < layers; layer++) {
            for (int subBlock = 0; subBlock < SUB_BLOCKS; subBlock++) {
                int start = groupStart(layer, subBlock);
                int count = allowedChoices(subBlock);
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < count; i++) {
                    double noise = rng == null ? 0 : -Math.log(-Math.log(uniformOpen(rng)));
                    scaled[i] = (logits[start + i] + noise) / tau;
                    max = Math.max(max, scaled[i]);
                }
                double sum = 0;
                for (int i = 0; i < count; i++) {
                    scaled[i] = Math.exp(scaled[i] - max);
                    sum += scaled[i];
                }
                for (int i = 0; i < count; i++) {
                    p[start + i] = (float) (scaled[i] / sum);
                }
            }
        }
        return p;
    }

    /** U uniform in the open interval (0, 1): nextDouble's 53-bit grid shifted by half a step, so never 0 or 1. */
    private static double uniformOpen(SplittableRandom rng) {
        return ((rng.nextLong() >>> 11) + 0.5) * UNIT;
    }

    private static void requireFinite(float[] values, int layers, String what) {
        requireShape(values, layers, what);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                int column = i % ArchitectureMap.COLUMNS;
                throw new IllegalArgumentException(what + "[" + i + "] (layer " + i / ArchitectureMap.COLUMNS
                        + ", sub-block " + column / CHOICES + ", choice " + column % CHOICES + ") is " + values[i]);
            }
        }
    }

    private static void requireTemperature(double tau) {
        if (!(tau > 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException("the Gumbel-softmax temperature must be positive and finite, got "
                    + tau);
        }
    }
}
