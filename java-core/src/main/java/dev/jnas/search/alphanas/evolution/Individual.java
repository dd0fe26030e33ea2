package dev.jnas.search.alphanas.evolution;

import dev.jnas.space.program.ProgramGraph;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One evaluated program of an evolution run. Evolution makes at most one individual per generation, so the
 * generation also identifies it within its run.
 *
 * @param generation the generation that made it (0 and 1 are the seed model)
 * @param parent     the generation of its parent; empty for the seed model
 */
public record Individual(int generation, OptionalInt parent, ProgramGraph graph, Fitness fitness) {
    public Individual {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(fitness, "fitness");
        if (generation < 0) {
            throw new IllegalArgumentException("a generation is not negative, got " + generation);
        }
        if (parent.isPresent() && parent.getAsInt() >= generation) {
            throw new IllegalArgumentException("individual " + generation + " cannot descend from the later "
                    + parent.getAsInt());
        }
    }
}
