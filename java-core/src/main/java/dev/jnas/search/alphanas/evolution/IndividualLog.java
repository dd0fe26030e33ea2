package dev.jnas.search.alphanas.evolution;

import java.util.List;

/** Where a run keeps its individuals, so that a killed run resumes with all of them (the store implements it). */
public interface IndividualLog {
    /** The run's stored individuals, by generation. */
    List<Individual> finished();

    /** Stores one evaluated individual durably before evolution goes on. */
    void save(Individual individual);
}
