package dev.jnas.search.alphanas.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.search.alphanas.evolution.ParentSelection.Objective;
import dev.jnas.space.program.SeedModels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TargetedEvolutionTest {
    /** Accuracy, parameters and MACs of generations 0 to 10; 0 and 1 are the seed model, its worst point 0.78. */
    private static final double[][] POINTS = {
        {0.80, 1000, 5000}, {0.78, 1000, 5000},
        {0.85, 900, 6000},   // dominates the seed by parameters only
        {0.79, 1000, 4000},  // by both, with the parameters equal
        {0.70, 500, 3000},   // cheaper but worse
        {0.90, 1200, 4500},  // by MACs only
        {0.60, 2000, 9000},
        {0.77, 800, 4000},   // cheaper, but worse than the seed's worst individual
        {0.65, 700, 7000},
        {0.50, 600, 2000},
        {0.40, 300, 1000},
    };
    private static final Set<Integer> DOMINATING_BY_PARAMETERS = Set.of(0, 1, 2, 3);
    private static final Set<Integer> DOMINATING_BY_MACS = Set.of(0, 1, 3, 5);

    private static List<Individual> population() {
        List<Individual> population = new ArrayList<>();
        for (int g = 0; g < POINTS.length; g++) {
            population.add(new Individual(g, g < 2 ? OptionalInt.empty() : OptionalInt.of(0), SeedModels.smallCnn(10),
                    Fitness.trained(POINTS[g][0], (long) POINTS[g][1], (long) POINTS[g][2], 1)));
        }
        return population;
    }

    private static double[] qualities() {
        double[] qualities = new double[POINTS.length];
        for (int g = 0; g < POINTS.length; g++) {
            qualities[g] = POINTS[g][0];
        }
        return qualities;
    }

    private static List<Integer> all() {
        List<Integer> all = new ArrayList<>();
        for (int g = 0; g < POINTS.length; g++) {
            all.add(g);
        }
        return all;
    }

    /**
     * 4 dominate the seed and 7 do not: the pool is the 4 and 4 of the 7, drawn uniformly (each about 4/7 of the
     * time), for either objective.
     */
    @Test
    void keepsTheDominatingOnesAndAsManyOthersDrawnUniformly() {
        for (Objective objective : List.of(Objective.PARAMETERS, Objective.MACS)) {
            Set<Integer> dominating = objective == Objective.PARAMETERS ? DOMINATING_BY_PARAMETERS : DOMINATING_BY_MACS;
            Set<Integer> others = new HashSet<>(all());
            others.removeAll(dominating);
            int[] drawn = new int[POINTS.length];
            int trials = 2000;
            for (int seed = 0; seed < trials; seed++) {
                List<Integer> pool = TargetedEvolution.pool(population(), qualities(), all(), objective,
                        new SplittableRandom(seed));
                assertEquals(pool, TargetedEvolution.pool(population(), qualities(), all(), objective,
                        new SplittableRandom(seed)), "same seed, same pool");
                assertEquals(pool.stream().sorted().toList(), pool, "candidates keep their order");
                assertTrue(pool.containsAll(dominating), objective + " " + pool);
                assertEquals(8, pool.size(), objective + " " + pool);
                pool.forEach(i -> drawn[i]++);
            }
            for (int i : others) {
                assertEquals(4 / 7.0, drawn[i] / (double) trials, 0.05, objective + " other " + i);
            }
        }
    }

    /** Fewer others than dominating ones (the rest aged out): all of them stay. */
    @Test
    void keepsEveryOtherWhenTheyAreFewer() {
        List<Integer> candidates = List.of(0, 1, 2, 3, 4, 6);
        assertEquals(candidates, TargetedEvolution.pool(population(), qualities(), candidates, Objective.PARAMETERS,
                new SplittableRandom(1)));
        assertEquals(List.of(3, 5, 7), TargetedEvolution.pool(population(), qualities(), List.of(3, 5, 7),
                Objective.MACS, new SplittableRandom(1)));
    }

    /** The seed model aged out and no candidate dominates it: nothing to target, the candidates stay whole. */
    @Test
    void keepsAllCandidatesWhenNoneDominatesTheSeed() {
        List<Integer> candidates = List.of(4, 6, 7, 8);
        assertEquals(candidates, TargetedEvolution.pool(population(), qualities(), candidates, Objective.PARAMETERS,
                new SplittableRandom(1)));
    }

    @Test
    void needsTheSeedModelInThePopulation() {
        List<Individual> children = population().subList(2, POINTS.length);
        double[] qualities = new double[children.size()];
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TargetedEvolution.pool(
                children, qualities, List.of(0, 1), Objective.MACS, new SplittableRandom(1)));
        assertEquals("targeted evolution needs the seed model's individuals in the population, which has none",
                error.getMessage());
    }
}
