package dev.jnas.search.alphanas.evolution;

import dev.jnas.space.program.ProgramGraph;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Proposes one child of a parent program: αNAS's mutate-and-synthesize step, or any other mutation. Empty means
 * no child this try (e.g. synthesis found nothing, or the child equals its parent); evolution then tries again.
 * A proposer must draw only from random, so that a seeded run repeats.
 */
@FunctionalInterface
public interface ChildProposer {
    Optional<ProgramGraph> propose(ProgramGraph parent, SplittableRandom random);
}
