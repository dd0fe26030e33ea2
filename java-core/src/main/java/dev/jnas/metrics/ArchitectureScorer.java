package dev.jnas.metrics;

import dev.jnas.space.nb201.Nb201Architecture;

/** Computes an architecture's metrics; the same architecture and seed give the same numbers. */
@FunctionalInterface
public interface ArchitectureScorer {
    Score score(Nb201Architecture architecture, long seed);
}
