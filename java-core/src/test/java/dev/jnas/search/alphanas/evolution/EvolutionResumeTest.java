package dev.jnas.search.alphanas.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ProgramText;
import dev.jnas.space.program.SeedModels;
import dev.jnas.space.program.TensorShape;
import dev.jnas.store.EvaluationStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evolution against the SQLite store with a stand-in fitness: a killed run resumes into the uninterrupted one. */
class EvolutionResumeTest {
    private static final int GENERATIONS = 14;
    private static final String RUN = "test-run";
    /** The parents of generations 2 to 13 with the default selection, as they were before aging and targeting. */
    private static final List<Integer> DEFAULT_PARENTS = List.of(0, 0, 3, 4, 5, 6, 7, 6, 4, 10, 3, 7);

    @TempDir
    Path dir;

    @Test
    void aRunKilledMidwayResumesIntoTheSameIndividualsWithoutRecomputing() {
        List<Individual> uninterrupted = killAndResume("default",
                new ParentSelection(FitnessKind.TRAIN, 0.5, Aging.OFF, false));
        assertEquals(DEFAULT_PARENTS, parents(uninterrupted));
        assertTrue(uninterrupted.stream().anyMatch(individual -> individual.parent().orElse(-1) >= 2),
                "the test should breed from children, not only from the seed");
    }

    /** Aging and targeting depend on the population and the generation's stream alone, so resuming keeps them. */
    @Test
    void aRunWithAgingAndTargetingResumesIntoTheSameIndividuals() {
        List<Individual> uninterrupted = killAndResume("aged-targeted",
                new ParentSelection(FitnessKind.TRAIN, 0.5, new Aging(3), true));
        for (Individual child : uninterrupted.subList(Evolution.SEED_INDIVIDUALS, GENERATIONS)) {
            assertTrue(child.generation() - child.parent().getAsInt() <= 3, "aged parent of " + child.generation());
        }
        assertNotEquals(DEFAULT_PARENTS, parents(uninterrupted),
                "the options should change the parents");
    }

    /** Runs GENERATIONS uninterrupted, and again killed after generation 6 and resumed; returns the first run. */
    private List<Individual> killAndResume(String name, ParentSelection selection) {
        StandInFitness uninterruptedFitness = new StandInFitness();
        List<Individual> uninterrupted;
        Path uninterruptedFile = dir.resolve(name + "-uninterrupted.sqlite");
        try (EvaluationStore store = EvaluationStore.open(uninterruptedFile)) {
            uninterrupted = evolution(uninterruptedFitness, selection).run(GENERATIONS, store.alphanasIndividuals(RUN),
                    new Silent());
        }
        assertEquals(GENERATIONS, uninterruptedFitness.evaluations);

        StandInFitness killedFitness = new StandInFitness();
        Path resumedFile = dir.resolve(name + "-resumed.sqlite");
        try (EvaluationStore store = EvaluationStore.open(resumedFile)) {
            RuntimeException killed = assertThrows(RuntimeException.class, () -> evolution(killedFitness, selection)
                    .run(GENERATIONS, store.alphanasIndividuals(RUN), new KillAfter(6)));
            assertEquals("killed", killed.getMessage());
        }
        assertEquals(7, killedFitness.evaluations);
        StandInFitness resumedFitness = new StandInFitness();
        List<Individual> resumed;
        Silent resumedListener = new Silent();
        try (EvaluationStore store = EvaluationStore.open(resumedFile)) {
            resumed = evolution(resumedFitness, selection).run(GENERATIONS, store.alphanasIndividuals(RUN),
                    resumedListener);
        }
        assertEquals(GENERATIONS - 7, resumedFitness.evaluations);
        assertEquals(7, resumedListener.fromLog);
        assertEquals(describe(uninterrupted), describe(resumed));
        try (EvaluationStore store = EvaluationStore.open(resumedFile)) {
            assertEquals(describe(uninterrupted), describe(store.alphanasIndividuals(RUN).finished()));
        }
        return uninterrupted;
    }

    private static List<Integer> parents(List<Individual> population) {
        return population.stream().filter(individual -> individual.parent().isPresent())
                .map(individual -> individual.parent().getAsInt()).toList();
    }

    @Test
    void generationsZeroAndOneAreTheSeedModel() {
        try (EvaluationStore store = EvaluationStore.open(dir.resolve("c.sqlite"))) {
            List<Individual> population = evolution(new StandInFitness(), new ParentSelection(FitnessKind.TRAIN, 0.5,
                    Aging.OFF, false)).run(3, store.alphanasIndividuals(RUN),
                    new Silent());
            String seed = ProgramText.format(SeedModels.resnet20(10));
            assertEquals(seed, ProgramText.format(population.get(0).graph()));
            assertEquals(seed, ProgramText.format(population.get(1).graph()));
            assertTrue(population.get(0).parent().isEmpty() && population.get(1).parent().isEmpty());
            assertTrue(population.get(2).parent().isPresent());
        }
    }

    @Test
    void aGenerationWithoutAcceptableChildMakesNoIndividual() {
        ChildProposer identity = (parent, random) -> Optional.of(withExtraRelu(parent));
        StandInFitness fitness = new StandInFitness() {
            @Override
            public Optional<String> rejection(ProgramGraph program) {
                return program.ops().stream().anyMatch(op -> op.name().equals("extra"))
                        ? Optional.of("no extra relus") : Optional.empty();
            }
        };
        try (EvaluationStore store = EvaluationStore.open(dir.resolve("d.sqlite"))) {
            Silent listener = new Silent();
            List<Individual> population = new Evolution(SeedModels.smallCnn(10), identity, fitness,
                    new ParentSelection(FitnessKind.TRAIN, 0.5, Aging.OFF, false), 5)
                    .run(4, store.alphanasIndividuals(RUN), listener);
            assertEquals(2, population.size());
            assertEquals(2, listener.noChild);
        }
    }

    private static ProgramGraph withExtraRelu(ProgramGraph parent) {
        ProgramGraph.Builder child = ProgramGraph.builder();
        parent.inputs().forEach(child::input);
        parent.ops().forEach(child::add);
        child.add(Op.of(OpType.RELU, "extra", parent.outputs().get(0)));
        return child.output("extra").build();
    }

    private static Evolution evolution(StandInFitness fitness, ParentSelection selection) {
        return new Evolution(SeedModels.resnet20(10), new ChannelScalingProposer(TensorShape.of(1, 1, 28, 28)),
                fitness, selection, 42);
    }

    private static List<String> describe(List<Individual> population) {
        return population.stream().map(individual -> individual.generation() + " " + individual.parent() + " "
                + individual.fitness() + "\n" + ProgramText.format(individual.graph())).toList();
    }

    /**
     * A fitness that needs no engine: width and depth as costs, and an accuracy that rewards narrow programs
     * plus seeded noise, so that a differing random stream after a resume would show.
     */
    private static class StandInFitness implements FitnessEvaluator {
        int evaluations;

        @Override
        public FitnessKind kind() {
            return FitnessKind.TRAIN;
        }

        @Override
        public Optional<String> rejection(ProgramGraph program) {
            return Optional.empty();
        }

        @Override
        public Fitness evaluate(ProgramGraph program, long seed) {
            evaluations++;
            long width = program.ops().stream().filter(op -> op.type() == OpType.CONV)
                    .mapToLong(op -> Long.parseLong(op.conv().features().toString())).sum();
            double accuracy = 0.9 - width / 20_000.0 + 0.05 * new SplittableRandom(seed).nextDouble();
            return Fitness.trained(accuracy, width, program.ops().size(), 0);
        }
    }

    private static class Silent implements Evolution.Listener {
        int fromLog;
        int noChild;

        @Override
        public void onIndividual(Individual individual, Optional<ParentSelection.Objective> objective,
                                 boolean fromLog, int generations) {
            if (fromLog) {
                this.fromLog++;
            }
        }

        @Override
        public void onNoChild(int generation, int generations) {
            noChild++;
        }
    }

    /** Dies (as a killed process would, between two generations) once generation last is stored. */
    private record KillAfter(int last) implements Evolution.Listener {
        @Override
        public void onIndividual(Individual individual, Optional<ParentSelection.Objective> objective,
                                 boolean fromLog, int generations) {
            if (individual.generation() == last) {
                throw new RuntimeException("killed");
            }
        }

        @Override
        public void onNoChild(int generation, int generations) {
        }
    }
}
