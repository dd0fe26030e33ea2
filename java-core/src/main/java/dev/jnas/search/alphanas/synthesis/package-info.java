/**
 * αNAS's mutation: select a subgraph, relax its properties, synthesize a replacement, splice it in.
 *
 * <p>{@link dev.jnas.search.alphanas.synthesis.ProgramMutator} is the entry point evolution uses. It selects a
 * region with {@link dev.jnas.search.alphanas.synthesis.SubgraphSelector}, infers and relaxes its
 * {@link dev.jnas.search.alphanas.synthesis.PropertySet} by {@link dev.jnas.search.alphanas.synthesis.MutationRates},
 * and has the {@link dev.jnas.search.alphanas.synthesis.GraphSynthesizer} keep the region's skeleton while the
 * {@link dev.jnas.search.alphanas.synthesis.ProgressiveSynthesizer} grows each sequential edge
 * ({@link dev.jnas.search.alphanas.synthesis.SequenceTask}) from an
 * {@link dev.jnas.search.alphanas.synthesis.Alphabet} of {@link dev.jnas.search.alphanas.synthesis.OpSpec}s. Whole
 * blocks are duplicated, deleted or copied over their other instances; a child is handed on only if its shapes fit
 * and its {@link dev.jnas.search.alphanas.synthesis.Fingerprint} differs from its parent's.
 */
package dev.jnas.search.alphanas.synthesis;
