package dev.jnas.search.bayesnas;

/**
 * BayesNAS's pruning rule: a switch whose Gaussian has non-positive differential entropy, ½·ln(2πe·v) ≤ 0, is
 * pruned, i.e. its variance v ≤ 1/(2πe) ≈ 0.0585. The variance is the switch group's γ (for an op switch, the one
 * combined with its edge's). The public code never automated this (users picked cells by hand from γ).
 */
public final class EntropyRule {
    /** 1/(2πe): the variance at which a Gaussian's differential entropy is 0. */
    public static final double VARIANCE_THRESHOLD = 1 / (2 * Math.PI * Math.E);

    private EntropyRule() {
    }

    /** ½·ln(2πe·v), the differential entropy of a Gaussian of variance v (−∞ at v = 0). */
    public static double entropy(double variance) {
        if (!(variance >= 0)) {
            throw new IllegalArgumentException("a variance must be >= 0, got " + variance);
        }
        return 0.5 * Math.log(2 * Math.PI * Math.E * variance);
    }

    /** Whether a switch of this variance is pruned: its entropy is at most 0. */
    public static boolean pruned(double variance) {
        return entropy(variance) <= 0;
    }

    /**
     * Which ops of an edge survive: none when the edge's origin switch is pruned (the HARD prior: pruning an edge
     * prunes its ops), else those whose own variance keeps positive entropy.
     */
    public static boolean[] survivingOps(double edgeVariance, double[] opVariances) {
        boolean edgeKept = !pruned(edgeVariance);
        boolean[] kept = new boolean[opVariances.length];
        for (int k = 0; k < kept.length; k++) {
            kept[k] = edgeKept && !pruned(opVariances[k]);
        }
        return kept;
    }
}
