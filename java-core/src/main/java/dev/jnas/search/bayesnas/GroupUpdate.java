package dev.jnas.search.bayesnas;

import dev.jnas.space.bayescell.SwitchGroupSlots;

/**
 * One switch group after an ARD update: what went in (the switches and their Hessians per cell) and what came out
 * (C per cell, ω, γ). For an op group γ is already combined with its edge's, so {@link #pruned()} applies the
 * entropy rule to the variance the pruning uses.
 */
public record GroupUpdate(SwitchGroupSlots group, double[] switches, double[] hessians, double[] covariances,
                          double omega, double gamma) {
    public GroupUpdate {
        int cells = group.slots().size();
        if (switches.length != cells || hessians.length != cells || covariances.length != cells) {
            throw new IllegalArgumentException("group " + group.label() + " has " + cells + " cells but "
                    + switches.length + " switches, " + hessians.length + " Hessians and " + covariances.length
                    + " covariances");
        }
        switches = switches.clone();
        hessians = hessians.clone();
        covariances = covariances.clone();
    }

    /** Whether the entropy rule prunes this switch. */
    public boolean pruned() {
        return EntropyRule.pruned(gamma);
    }

    public double meanCovariance() {
        return mean(covariances);
    }

    public double meanHessian() {
        return mean(hessians);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }
}
