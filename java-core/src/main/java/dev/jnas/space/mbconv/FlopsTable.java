package dev.jnas.space.mbconv;

import static dev.jnas.space.mbconv.MbconvArchitecture.encodingIndex;
import static dev.jnas.space.mbconv.MbconvLayout.COLUMNS;
import static dev.jnas.space.mbconv.MbconvLayout.SUB_BLOCKS;

import java.util.List;
import java.util.Objects;

/**
 * SGNAS's differentiable FLOPs model of a layout: per-layer lookup costs and the model FLOPs of a soft or one-hot
 * architecture p (layer-major, {@link MbconvLayout#COLUMNS} columns per layer),
 *
 * <pre>
 *   FLOPs(p) = base + Σ_l [ Σ_b Σ_k p[l,b,k] · depthwise(l,k) · 1(p[l,b,k] &gt; threshold)
 *                          + (1 − s_l) · expand(l) · 1(s_l &lt; 5/6)
 *                          + (1 − s_l) · project(l) ],   s_l = (1/6) Σ_b p[l,b,skip]
 * </pre>
 *
 * with the threshold of the supernet's mixed edges ({@link MbconvSupernet#MIXING_THRESHOLD}). Units are MFLOPs
 * counted as the reference does: multiply-accumulates of conv layers only, / 1e6 (no linear, BN or activation).
 * The expansion-1 gate stands for the missing expand conv of a layer with a single sub-block; it is evaluated as
 * Σ_b p[l,b,skip] &lt; 5, the same condition without the rounding of s_l.
 */
public final class FlopsTable {
    private static final double MACS_PER_MFLOP = 1e6;

    private final int layers;
    private final double base;
    /** [layer][kernel choice ordinal] for K3, K5, K7. */
    private final double[][] depthwise;
    private final double[] expand;
    private final double[] project;

    public FlopsTable(MbconvLayout layout) {
        Objects.requireNonNull(layout, "layout");
        List<LayerSpec> specs = layout.layers();
        layers = specs.size();
        depthwise = new double[layers][SubBlockChoice.KERNELS.size()];
        expand = new double[layers];
        project = new double[layers];
        for (LayerSpec layer : specs) {
            int l = layer.index();
            int c = layer.inChannels();
            for (SubBlockChoice kernel : SubBlockChoice.KERNELS) {
                depthwise[l][kernel.ordinal()] = conv(c, c, kernel.kernel(), c, layer.outputSize());
            }
            expand[l] = conv(c, SUB_BLOCKS * c, 1, 1, layer.inputSize());
            project[l] = conv(SUB_BLOCKS * c, layer.outChannels(), 1, 1, layer.outputSize());
        }
        int stem = layout.stemChannels();
        base = conv(layout.inputChannels(), stem, 3, 1, layout.stemSize())
                + conv(stem, stem, 3, stem, layout.stemSize())
                + conv(stem, layout.firstOutChannels(), 1, 1, layout.stemSize())
                + conv(layout.layers().getLast().outChannels(), layout.headChannels(), 1, 1, layout.headSize());
    }

    /** MFLOPs of a conv with a square kernel producing outChannels maps of outSize x outSize. */
    private static double conv(int inChannels, int outChannels, int kernel, int groups, int outSize) {
        long macs = (long) outChannels * outSize * outSize * kernel * kernel * (inChannels / groups);
        return macs / MACS_PER_MFLOP;
    }

    /** The fixed part: stem conv, the first MBConv's depthwise and projection convs, the head conv. */
    public double base() {
        return base;
    }

    /** One sub-block's depthwise conv of layer l (0 for skip). */
    public double depthwise(int layer, SubBlockChoice choice) {
        return choice == SubBlockChoice.SKIP ? 0 : depthwise[layer][choice.ordinal()];
    }

    /** Layer l's expand conv 1x1 from C to 6·C channels at its input size (all six sub-blocks). */
    public double expand(int layer) {
        return expand[layer];
    }

    /** Layer l's projection conv 1x1 from 6·C to its output channels at its output size. */
    public double project(int layer) {
        return project[layer];
    }

    /** The model FLOPs of a soft or one-hot architecture p, exactly the reference's formula. */
    public double flops(float[] p) {
        requireEncoding(p);
        double total = base;
        for (int l = 0; l < layers; l++) {
            double skipSum = 0;
            for (int b = 0; b < SUB_BLOCKS; b++) {
                skipSum += p[encodingIndex(l, b, SubBlockChoice.SKIP)];
                for (SubBlockChoice kernel : SubBlockChoice.KERNELS) {
                    float weight = p[encodingIndex(l, b, kernel)];
                    if (runs(weight)) {
                        total += weight * depthwise(l, kernel);
                    }
                }
            }
            double active = 1 - skipSum / SUB_BLOCKS;
            if (expands(skipSum)) {
                total += active * expand[l];
            }
            total += active * project[l];
        }
        return total;
    }

    /** The model FLOPs of one architecture: {@code flops(architecture.oneHot())}. */
    public double flops(MbconvArchitecture architecture) {
        return flops(architecture.oneHot());
    }

    /**
     * dFLOPs/dp of {@link #flops(float[])}, which is linear in p between its gates. At a gate the derivative is
     * the one of the piece the value takes (what autograd gives the reference): a depthwise entry at or below the
     * threshold has derivative 0, and the skip entries' derivative drops the expand term once Σ_b p[l,b,skip]
     * reaches 5.
     */
    public float[] gradient(float[] p) {
        requireEncoding(p);
        float[] gradient = new float[p.length];
        for (int l = 0; l < layers; l++) {
            double skipSum = 0;
            for (int b = 0; b < SUB_BLOCKS; b++) {
                skipSum += p[encodingIndex(l, b, SubBlockChoice.SKIP)];
                for (SubBlockChoice kernel : SubBlockChoice.KERNELS) {
                    int index = encodingIndex(l, b, kernel);
                    gradient[index] = runs(p[index]) ? (float) depthwise(l, kernel) : 0f;
                }
            }
            double perSkip = -((expands(skipSum) ? expand[l] : 0) + project[l]) / SUB_BLOCKS;
            for (int b = 0; b < SUB_BLOCKS; b++) {
                gradient[encodingIndex(l, b, SubBlockChoice.SKIP)] = (float) perSkip;
            }
        }
        return gradient;
    }

    /** Whether a depthwise branch of this weight counts, as the supernet's mixed edge decides whether it runs. */
    private static boolean runs(float weight) {
        return weight > MbconvSupernet.MIXING_THRESHOLD;
    }

    /** The reference's 1(s_l &lt; 5/6): more than one sub-block is active, so the layer has an expand conv. */
    private static boolean expands(double skipSum) {
        return skipSum < SUB_BLOCKS - 1;
    }

    private void requireEncoding(float[] p) {
        Objects.requireNonNull(p, "p");
        if (p.length != layers * COLUMNS) {
            throw new IllegalArgumentException("p has " + p.length + " values, expected " + layers + " layers x "
                    + COLUMNS);
        }
    }
}
