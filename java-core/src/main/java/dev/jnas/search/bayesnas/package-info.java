/**
 * BayesNAS (issue 6): hierarchical ARD priors on architecture switches. So far the host-side math: the
 * Laplace/ARD hyperparameter update ({@link dev.jnas.search.bayesnas.ArdUpdate}) over switch groups shared by the
 * cells of a type, and the entropy pruning rule ({@link dev.jnas.search.bayesnas.EntropyRule}). The switch-gated
 * search space, training schedule and the engine's diagonal-Hessian pass build on these.
 */
package dev.jnas.search.bayesnas;
