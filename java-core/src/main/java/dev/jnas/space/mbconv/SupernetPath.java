package dev.jnas.space.mbconv;

import static dev.jnas.space.mbconv.MbconvArchitecture.encodingIndex;
import static dev.jnas.space.mbconv.MbconvArchitecture.subBlockOffset;
import static dev.jnas.space.mbconv.MbconvLayout.CHOICES;
import static dev.jnas.space.mbconv.MbconvLayout.COLUMNS;
import static dev.jnas.space.mbconv.MbconvLayout.SUB_BLOCKS;

import dev.jnas.bindings.Net;
import dev.jnas.bindings.ParamRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Selects paths of a compiled {@link MbconvSupernet}: writes an architecture encoding (one-hot or soft) into its
 * mixing weights and switchable-BN weights, and reads dLoss/dp back from the mixing weights' gradients. The
 * parameter indices are resolved once; every net compiled from a graph of the same layout's supernet has them.
 */
public final class SupernetPath {
    /** The roles of the network's weights, as opposed to its free mixing and switchable-BN weights. */
    private static final Set<ParamRole> WEIGHT_ROLES =
            EnumSet.of(ParamRole.WEIGHT, ParamRole.BIAS, ParamRole.BN_WEIGHT, ParamRole.BN_BIAS);

    private final int paramCount;
    /** [layer][sub-block] index of "arch.layer{l}.block{b}". */
    private final int[][] mixing;
    /** [layer] index of "sbn.layer{l}". */
    private final int[] sbn;
    private final int[] weights;

    private SupernetPath(int paramCount, int[][] mixing, int[] sbn, int[] weights) {
        this.paramCount = paramCount;
        this.mixing = mixing;
        this.sbn = sbn;
        this.weights = weights;
    }

    /** Finds the supernet's mixing and switchable-BN weights in net, compiled from layout's supernet. */
    public static SupernetPath resolve(Net net, MbconvLayout layout) {
        Objects.requireNonNull(net, "net");
        int layers = layout.layerCount();
        int[][] mixing = new int[layers][SUB_BLOCKS];
        int[] sbn = new int[layers];
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < SUB_BLOCKS; b++) {
                mixing[l][b] = net.findParam(MbconvSupernet.mixingName(l, b));
            }
            sbn[l] = net.findParam(MbconvSupernet.sbnWeightsName(l));
        }
        int paramCount = net.paramCount();
        List<Integer> weights = new ArrayList<>();
        for (int index = 0; index < paramCount; index++) {
            if (WEIGHT_ROLES.contains(net.paramRole(index))) {
                weights.add(index);
            }
        }
        return new SupernetPath(paramCount, mixing, sbn, weights.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Writes p (layer-major, {@link MbconvLayout#COLUMNS} columns per layer, one-hot or soft) into the mixing
     * weights, and sets each layer's switchable BN to the one for round(Σ_b p[l,b,skip]) skipped sub-blocks
     * (rounding half to even, as Python's round does in the reference).
     *
     * @throws IllegalArgumentException if p has the wrong length, a non-finite entry, or a layer's skip weights
     *                                  round to all six sub-blocks (sub-block 0 never skips)
     */
    public void apply(Net net, float[] p) {
        Objects.requireNonNull(p, "p");
        int layers = sbn.length;
        if (p.length != layers * COLUMNS) {
            throw new IllegalArgumentException("p has " + p.length + " values, expected " + layers + " layers x "
                    + COLUMNS);
        }
        requireSameNet(net);
        int[] skipped = new int[layers];
        for (int l = 0; l < layers; l++) {
            double skipSum = 0;
            for (int b = 0; b < SUB_BLOCKS; b++) {
                for (SubBlockChoice choice : SubBlockChoice.values()) {
                    float weight = p[encodingIndex(l, b, choice)];
                    if (!Float.isFinite(weight)) {
                        throw new IllegalArgumentException("p of layer " + l + ", sub-block " + b + ", " + choice
                                + " is " + weight);
                    }
                }
                skipSum += p[encodingIndex(l, b, SubBlockChoice.SKIP)];
            }
            skipped[l] = (int) Math.rint(skipSum);
            if (skipped[l] < 0 || skipped[l] >= SUB_BLOCKS) {
                throw new IllegalArgumentException("layer " + l + ": the skip weights sum to " + skipSum
                        + ", which is no count of skipped sub-blocks in 0.." + (SUB_BLOCKS - 1)
                        + " (sub-block 0 never skips)");
            }
        }
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < SUB_BLOCKS; b++) {
                int from = subBlockOffset(l, b);
                net.writeParam(mixing[l][b], Arrays.copyOfRange(p, from, from + CHOICES));
            }
            float[] oneHot = new float[SUB_BLOCKS];
            oneHot[skipped[l]] = 1;
            net.writeParam(sbn[l], oneHot);
        }
    }

    /** Selects the one-hot path of an architecture. */
    public void apply(Net net, MbconvArchitecture architecture) {
        if (architecture.layerCount() != sbn.length) {
            throw new IllegalArgumentException("the architecture has " + architecture.layerCount()
                    + " layers but the supernet has " + sbn.length);
        }
        apply(net, architecture.oneHot());
    }

    /**
     * dLoss/dp accumulated by the backward passes since the net's last zeroGrad, layer-major like p. Branches
     * that did not run (weight at most the threshold) have gradient 0, as does skip, whose output is zeros.
     *
     * @throws IllegalStateException if the mixing weights are not trainable (they keep no gradient then)
     */
    public float[] readMixingGradients(Net net) {
        requireSameNet(net);
        if (!net.isTrainable(mixing[0][0])) {
            throw new IllegalStateException("the supernet's mixing weights keep no gradient: call "
                    + "setMixingTrainable(net, true) before the backward pass");
        }
        float[] gradients = new float[sbn.length * COLUMNS];
        for (int l = 0; l < sbn.length; l++) {
            for (int b = 0; b < SUB_BLOCKS; b++) {
                float[] gradient = net.readGrad(mixing[l][b]);
                System.arraycopy(gradient, 0, gradients, subBlockOffset(l, b), CHOICES);
            }
        }
        return gradients;
    }

    /** Makes the mixing weights trainable (they accumulate dLoss/dp) or buffers again. */
    public void setMixingTrainable(Net net, boolean trainable) {
        requireSameNet(net);
        for (int[] layer : mixing) {
            for (int index : layer) {
                net.setTrainable(index, trainable);
            }
        }
    }

    /**
     * Makes every conv, linear and batch-norm weight and bias non-trainable, so a backward pass for the mixing
     * weights computes no weight gradients and no optimizer step touches the weights.
     */
    public void freezeWeights(Net net) {
        setWeightsTrainable(net, false);
    }

    /** Undoes {@link #freezeWeights}. */
    public void unfreezeWeights(Net net) {
        setWeightsTrainable(net, true);
    }

    private void setWeightsTrainable(Net net, boolean trainable) {
        requireSameNet(net);
        for (int index : weights) {
            net.setTrainable(index, trainable);
        }
    }

    /** A cheap check that net is a supernet of this path's layout (resolve checked the names). */
    private void requireSameNet(Net net) {
        Objects.requireNonNull(net, "net");
        if (net.paramCount() != paramCount) {
            throw new IllegalArgumentException("the net has " + net.paramCount() + " parameters, but the supernet "
                    + "this path was resolved on has " + paramCount);
        }
    }
}
