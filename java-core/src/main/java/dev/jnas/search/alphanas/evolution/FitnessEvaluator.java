package dev.jnas.search.alphanas.evolution;

import dev.jnas.space.program.ProgramGraph;
import java.util.Optional;

/** Measures a program's {@link Fitness} ({@link TrainingFitness}, {@link TrainingFreeFitness}). */
public interface FitnessEvaluator {
    FitnessKind kind();

    /** Why program cannot be evaluated here (a shape the engine refuses, a head of the wrong size); empty if it can. */
    Optional<String> rejection(ProgramGraph program);

    /** The fitness of program; seed draws everything random (weights, data order, probe batch). */
    Fitness evaluate(ProgramGraph program, long seed);
}
