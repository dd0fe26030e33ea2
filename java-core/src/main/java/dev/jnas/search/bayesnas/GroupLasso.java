package dev.jnas.search.bayesnas;

/**
 * The re-weighted group-lasso term BayesNAS adds to the loss while it trains the switches: λ·ω_g·‖s_g‖₂ per switch
 * group g (λ_o for origin groups, λ_c for op groups), the re-weighted l1 step of sparse Bayesian learning with
 * groups running across the cells of a type.
 */
public final class GroupLasso {
    private GroupLasso() {
    }

    /** λ·ω·‖s‖₂. */
    public static double penalty(double lambda, double omega, double[] switches) {
        return lambda * omega * norm(switches);
    }

    /**
     * d/ds_c of {@link #penalty}: λ·ω·s_c/‖s‖₂. At s = 0, where the norm has no gradient, this is 0, the
     * subgradient that leaves a group at zero (PyTorch's sqrt backward would give NaN there).
     */
    public static double[] gradient(double lambda, double omega, double[] switches) {
        double norm = norm(switches);
        double[] gradient = new double[switches.length];
        if (norm > 0) {
            for (int c = 0; c < switches.length; c++) {
                gradient[c] = lambda * omega * switches[c] / norm;
            }
        }
        return gradient;
    }

    private static double norm(double[] values) {
        double squares = 0;
        for (double value : values) {
            squares += value * value;
        }
        return Math.sqrt(squares);
    }
}
