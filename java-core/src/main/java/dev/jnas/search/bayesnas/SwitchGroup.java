package dev.jnas.search.bayesnas;

import java.util.Arrays;

/**
 * One BayesNAS hyperparameter group: the same switch (an edge's origin switch, or one of its op switches) in every
 * cell of one type. The switches stay per cell; the prior variance γ and the re-weighting factor ω are shared by
 * the group (reference: one (γ, ω) per (edge, switch), written back to every cell).
 *
 * @param switches the switch values s_c, one per cell
 * @param hessians the diagonal loss Hessian H_c w.r.t. each switch (from the last mini-batch)
 * @param gamma    the prior variance γ before the update; 0 for a pruned group
 * @param origin   whether this is an edge's origin switch (λ_o) rather than an op switch (λ_c)
 */
public record SwitchGroup(double[] switches, double[] hessians, double gamma, boolean origin) {
    public SwitchGroup {
        if (switches.length == 0 || switches.length != hessians.length) {
            throw new IllegalArgumentException("a switch group needs one Hessian per switch, at least one; got "
                    + switches.length + " switches and " + hessians.length + " Hessians");
        }
        if (!(gamma >= 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("γ must be >= 0 and finite, got " + gamma);
        }
        switches = switches.clone();
        hessians = hessians.clone();
    }

    /** ‖s‖₂ over the group's cells. */
    public double norm() {
        return Math.sqrt(Arrays.stream(switches).map(s -> s * s).sum());
    }
}
