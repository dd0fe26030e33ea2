package dev.jnas.search.compress;

import dev.jnas.search.bayesnas.EntropyRule;

/**
 * One switch (a conv filter's or a hidden neuron's) after an ARD update: its value s, the Hessian H of the batch's
 * summed loss w.r.t. it, the Laplace variance C, the re-weighting ω and the prior variance γ that the entropy rule
 * judges.
 */
public record UnitUpdate(String layer, int unit, double value, double hessian, double covariance, double omega,
                         double gamma) {
    /** Whether the entropy rule prunes this unit (γ ≤ 1/(2πe)). */
    public boolean pruned() {
        return EntropyRule.pruned(gamma);
    }
}
