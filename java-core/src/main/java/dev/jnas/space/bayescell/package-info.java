/**
 * BayesNAS's search space (issue 6): the one-shot network of switch-gated edges
 * ({@link dev.jnas.space.bayescell.BayesSupernet}) over cells of the public code's 8 edges or the paper's DARTS
 * 14 ({@link dev.jnas.space.bayescell.CellTopology}), the switch groups the ARD update shares across the cells of
 * a type ({@link dev.jnas.space.bayescell.BayesSwitches}), and derived cells
 * ({@link dev.jnas.space.bayescell.BayesGenotype}) with their stand-alone networks
 * ({@link dev.jnas.space.bayescell.BayesNetwork}).
 */
package dev.jnas.space.bayescell;
