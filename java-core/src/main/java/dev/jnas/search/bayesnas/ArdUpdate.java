package dev.jnas.search.bayesnas;

/**
 * The hyperparameter update of BayesNAS after a switch-training epoch (reference: {@code Algorithm.update}), the
 * re-weighted l1 form of sparse Bayesian learning with the Gram matrix replaced by the loss Hessian (Laplace):
 * <pre>
 *   H̃_c = H_c / λ                       (λ_o for an origin switch, λ_c for an op switch)
 *   C_c = (1/γ + H̃_c)⁻¹                 posterior variance per cell
 *   ω   = sqrt(Σ_c |1/γ − C_c/γ²|)      computed as sqrt(Σ_c |H̃_c/(1 + γ·H̃_c)|), the same without cancellation
 *   γ'  = ‖s‖₂ / ω
 *   origin switch: γ_new = γ'
 *   op switch:     γ_new = (1/γ' + 1/γ_origin)⁻¹   the edge's variance caps its ops' (the HARD prior)
 * </pre>
 * γ is one value per group here, so the reference's reading of γ from the last cell (a quirk that matters only
 * before the first update, when its cells hold different random draws) does not arise.
 */
public record ArdUpdate(double lambdaOrigin, double lambdaOp) {
    /** The reference's λ_o = λ_c = 0.01. */
    public static final double DEFAULT_LAMBDA = 0.01;

    public ArdUpdate {
        if (!(lambdaOrigin > 0) || !(lambdaOp > 0) || Double.isInfinite(lambdaOrigin) || Double.isInfinite(lambdaOp)) {
            throw new IllegalArgumentException("λ_o and λ_c must be positive and finite, got " + lambdaOrigin + " and "
                    + lambdaOp);
        }
    }

    /**
     * A group's updated hyperparameters.
     *
     * @param covariances C_c per cell
     * @param omega       ω, the group lasso's new weight
     * @param gamma       γ after the update (for an op switch, combined with its edge's)
     */
    public record Result(double[] covariances, double omega, double gamma) {
    }

    /** The update of an edge's origin switch group. */
    public Result origin(SwitchGroup group) {
        requireKind(group, true);
        Partial partial = partial(group, lambdaOrigin);
        return new Result(partial.covariances, partial.omega, partial.gammaPrime);
    }

    /**
     * The update of an op switch group on an edge whose origin group's updated γ is edgeGamma.
     */
    public Result op(SwitchGroup group, double edgeGamma) {
        requireKind(group, false);
        if (!(edgeGamma >= 0)) {
            throw new IllegalArgumentException("the edge's γ must be >= 0, got " + edgeGamma);
        }
        Partial partial = partial(group, lambdaOp);
        double combined = 1 / (1 / partial.gammaPrime + 1 / edgeGamma);
        return new Result(partial.covariances, partial.omega, combined);
    }

    private record Partial(double[] covariances, double omega, double gammaPrime) {
    }

    private static Partial partial(SwitchGroup group, double lambda) {
        double gamma = group.gamma();
        double[] covariances = new double[group.switches().length];
        double omegaSquared = 0;
        for (int c = 0; c < covariances.length; c++) {
            double scaled = group.hessians()[c] / lambda;
            covariances[c] = 1 / (1 / gamma + scaled);
            // |1/γ − C/γ²| in the form it equals, H̃/(1 + γH̃): the difference cancels to 0 when γ·H̃ is below the
            // float epsilon (a switch the loss barely feels), which would make ω = 0 and γ' = ‖s‖/0 infinite.
            omegaSquared += Math.abs(scaled / (1 + gamma * scaled));
        }
        double omega = Math.sqrt(omegaSquared);
        return new Partial(covariances, omega, group.norm() / omega);
    }

    private static void requireKind(SwitchGroup group, boolean origin) {
        if (group.origin() != origin) {
            throw new IllegalArgumentException("expected " + (origin ? "an origin" : "an op") + " switch group");
        }
    }
}
