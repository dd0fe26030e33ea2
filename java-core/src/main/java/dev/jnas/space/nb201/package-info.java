/**
 * The NAS-Bench-201 search space: a cell of 4 nodes and 6 edges, each edge one of 5 ops, written as the
 * benchmark's own strings ({@link dev.jnas.space.nb201.Nb201Architecture}), and the networks built from a
 * cell with NB201's op semantics ({@link dev.jnas.space.nb201.Nb201Network}).
 */
package dev.jnas.space.nb201;
