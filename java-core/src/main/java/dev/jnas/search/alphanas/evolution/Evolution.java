package dev.jnas.search.alphanas.evolution;

import dev.jnas.metrics.SeedStreams;
import dev.jnas.space.program.ProgramGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * αNAS's steady-state evolution: one child per generation, every individual kept. Generations 0 and 1 evaluate
 * the seed model itself ({@value #SEED_INDIVIDUALS} individuals, as the reference's num_seed: two draws of its
 * fitness); each later generation selects a parent ({@link ParentSelection}), asks the proposer for a child (up to
 * {@value #PROPOSAL_TRIES} tries, skipping children the evaluator cannot evaluate), evaluates it and logs it. A
 * generation whose tries all fail makes no individual.
 *
 * <p>Every random draw of generation g comes from a stream derived from (seed, g) alone ({@link SeedStreams}), and
 * the population before g is exactly what the log holds, so a run resumed from its log makes the same individuals
 * as one never stopped.
 */
public final class Evolution {
    public static final int SEED_INDIVIDUALS = 2;
    public static final int PROPOSAL_TRIES = 3;

    /** Hears about every generation, those read back from the log included. */
    public interface Listener {
        /**
         * @param objective what the parent was weighed by; empty for the seed model and logged individuals
         * @param fromLog   whether it was read back from the log rather than evaluated now
         */
        void onIndividual(Individual individual, Optional<ParentSelection.Objective> objective, boolean fromLog,
                          int generations);

        /** Generation made no child: the proposer gave none the evaluator accepts. */
        void onNoChild(int generation, int generations);
    }

    private final ProgramGraph seedModel;
    private final ChildProposer proposer;
    private final FitnessEvaluator evaluator;
    private final ParentSelection selection;
    private final long seed;

    public Evolution(ProgramGraph seedModel, ChildProposer proposer, FitnessEvaluator evaluator,
                     ParentSelection selection, long seed) {
        this.seedModel = Objects.requireNonNull(seedModel, "seedModel");
        this.proposer = Objects.requireNonNull(proposer, "proposer");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.selection = Objects.requireNonNull(selection, "selection");
        this.seed = seed;
        evaluator.rejection(seedModel).ifPresent(reason -> {
            throw new IllegalArgumentException("the seed model cannot be evaluated: " + reason);
        });
    }

    /**
     * Runs generations 0 .. generations − 1, continuing after the last one the log holds, and returns the
     * population they made.
     */
    public List<Individual> run(int generations, IndividualLog log, Listener listener) {
        if (generations < 1) {
            throw new IllegalArgumentException("--generations must be at least 1, got " + generations);
        }
        // A log of a longer run gives its first generations, as they were.
        List<Individual> population = new ArrayList<>(log.finished().stream()
                .filter(individual -> individual.generation() < generations).toList());
        for (Individual individual : population) {
            listener.onIndividual(individual, Optional.empty(), true, generations);
        }
        int next = population.isEmpty() ? 0 : population.getLast().generation() + 1;
        for (int generation = next; generation < generations; generation++) {
            Optional<Child> child = generation < SEED_INDIVIDUALS
                    ? Optional.of(new Child(evaluate(generation, OptionalInt.empty(), seedModel), Optional.empty()))
                    : breed(generation, population);
            if (child.isPresent()) {
                log.save(child.get().individual());
                population.add(child.get().individual());
                listener.onIndividual(child.get().individual(), child.get().objective(), false, generations);
            } else {
                listener.onNoChild(generation, generations);
            }
        }
        return population;
    }

    private Optional<Child> breed(int generation, List<Individual> population) {
        ParentSelection.Choice choice = selection.select(population, generation,
                new SplittableRandom(SeedStreams.derive(seed, generation, SeedStreams.Stream.ALPHANAS_SELECTION)));
        SplittableRandom proposals = new SplittableRandom(SeedStreams.derive(seed, generation,
                SeedStreams.Stream.ALPHANAS_PROPOSAL));
        for (int attempt = 0; attempt < PROPOSAL_TRIES; attempt++) {
            Optional<ProgramGraph> proposed = proposer.propose(choice.parent().graph(), proposals);
            if (proposed.isPresent() && evaluator.rejection(proposed.get()).isEmpty()) {
                Individual child = evaluate(generation, OptionalInt.of(choice.parent().generation()), proposed.get());
                return Optional.of(new Child(child, Optional.of(choice.objective())));
            }
        }
        return Optional.empty();
    }

    private Individual evaluate(int generation, OptionalInt parent, ProgramGraph program) {
        long fitnessSeed = SeedStreams.derive(seed, generation, SeedStreams.Stream.ALPHANAS_FITNESS);
        return new Individual(generation, parent, program, evaluator.evaluate(program, fitnessSeed));
    }

    private record Child(Individual individual, Optional<ParentSelection.Objective> objective) {
    }
}
