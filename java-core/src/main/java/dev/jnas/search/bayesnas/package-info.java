/**
 * BayesNAS (issue 6): hierarchical ARD priors on architecture switches. {@link dev.jnas.search.bayesnas.BayesSearch}
 * runs the reference's schedule on the switch-gated supernet of {@code dev.jnas.space.bayescell}: a weights-only
 * epoch, joint epochs whose switches are stepped on the host ({@link dev.jnas.search.bayesnas.SwitchSgd}) with the
 * re-weighted group lasso ({@link dev.jnas.search.bayesnas.GroupLasso}), then the Laplace/ARD update
 * ({@link dev.jnas.search.bayesnas.ArdUpdate}) from the engine's diagonal Hessian over groups shared by the cells of
 * a type, and automatic pruning by the entropy rule ({@link dev.jnas.search.bayesnas.EntropyRule},
 * {@link dev.jnas.search.bayesnas.GenotypeDerivation}).
 */
package dev.jnas.search.bayesnas;
