/**
 * The DARTS search space as TE-NAS searches it: cells of 2 inputs, 4 step nodes and 14 edges of 8 ops
 * ({@link dev.jnas.space.darts.DartsOp}), the pruning space with its supernets
 * ({@link dev.jnas.space.darts.DartsSpace}), and the genotypes the search ends with
 * ({@link dev.jnas.space.darts.DartsGenotype}).
 */
package dev.jnas.space.darts;
