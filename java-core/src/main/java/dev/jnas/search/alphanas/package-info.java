/**
 * αNAS's program properties (Jin, Phothilimthana and Roy, OOPSLA 2022): what a subgraph of a
 * {@link dev.jnas.space.program.ProgramGraph} must keep when evolution re-synthesizes it.
 *
 * <p>A {@link dev.jnas.search.alphanas.Subgraph} is the region; each {@link dev.jnas.search.alphanas.ProgramProperty}
 * infers a value from it, measures a signed, asymmetric distance to a candidate's value and mutates:
 * {@link dev.jnas.search.alphanas.ShapeProperty} (exact shapes, with infeasible candidates at +∞),
 * {@link dev.jnas.search.alphanas.MixingProperty} ({@link dev.jnas.search.alphanas.Pairing}s of
 * {@link dev.jnas.search.alphanas.Mapping}s, per op from {@link dev.jnas.search.alphanas.OpPairings}) and
 * {@link dev.jnas.search.alphanas.DepthProperty} (linear/non-linear alternations).
 */
package dev.jnas.search.alphanas;
