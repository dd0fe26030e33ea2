package dev.jnas.search.alphanas.evolution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.program.SeedModels;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParentSelectionTest {

    /** 30 trained individuals with accuracies 0.30, 0.32, ... and costs that do not follow them. */
    private static List<Individual> population() {
        List<Individual> population = new ArrayList<>();
        for (int g = 0; g < 30; g++) {
            Fitness fitness = Fitness.trained(0.3 + 0.02 * g, 1000 + (g * 7919L) % 500, 50_000 + (g * 104729L) % 9000,
                    1);
            population.add(new Individual(g, g == 0 ? OptionalInt.empty() : OptionalInt.of(0),
                    SeedModels.smallCnn(10), fitness));
        }
        return population;
    }

    @Test
    void sameSeedSameParentsAndAnotherSeedOthers() {
        ParentSelection selection = new ParentSelection(FitnessKind.TRAIN, 0.5);
        List<Individual> population = population();
        assertEquals(draws(selection, population, 7), draws(selection, population, 7));
        assertNotEquals(draws(selection, population, 7), draws(selection, population, 8));
    }

    @Test
    void neverPicksBelowTheMinimumAccuracy() {
        ParentSelection selection = new ParentSelection(FitnessKind.TRAIN, 0.5);
        for (int generation : draws(selection, population(), 1)) {
            assertTrue(0.3 + 0.02 * generation >= 0.5 - 1e-9, "picked generation " + generation);
        }
    }

    @Test
    void fallsBackToUniformWhenNothingQualifies() {
        ParentSelection.Choice choice = new ParentSelection(FitnessKind.TRAIN, 0.99).select(population(),
                new SplittableRandom(3));
        assertEquals(ParentSelection.Objective.UNIFORM, choice.objective());
    }

    /** Weights 0, 1, 2, 3 with two kept: 0 and 1 (already [0, 1]) drawn 1 : 1/10, 2 and 3 never. */
    @Test
    void samplesTheKeptOnesInProportionToTenToTheMinusWeight() {
        int[] counts = new int[4];
        SplittableRandom random = new SplittableRandom(11);
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts[ParentSelection.sample(new double[] {2, 0, 3, 1}, 2, random)]++;
        }
        assertEquals(0, counts[0]);
        assertEquals(0, counts[2]);
        assertEquals(10 / 11.0, counts[1] / (double) draws, 0.005);
        assertEquals(1 / 11.0, counts[3] / (double) draws, 0.005);
    }

    @Test
    void keepsTenOrTenPercent() {
        assertEquals(10, ParentSelection.keep(30));
        assertEquals(10, ParentSelection.keep(100));
        assertEquals(11, ParentSelection.keep(101));
    }

    /** The training-free quality: 1 − (rank_κ + rank_NASWOT) / 2n, NaN and −∞ ranked last. */
    @Test
    void trainingFreeQualityIsTheRankSum() {
        List<Fitness> fitness = List.of(
                Fitness.trainingFree(1, 1, 10, 5, 100, 0),
                Fitness.trainingFree(1, 1, 5, 5, 50, 0),
                Fitness.trainingFree(1, 1, Double.NaN, 5, Double.NEGATIVE_INFINITY, 0),
                Fitness.trainingFree(1, 1, 5, 5, 200, 0));
        // κ ranks: 2, 0, 3, 0; NASWOT ranks: 1, 2, 3, 0.
        assertArrayEquals(new double[] {1 - 3 / 8.0, 1 - 2 / 8.0, 1 - 6 / 8.0, 1}, FitnessKind.TRAINING_FREE
                .qualities(fitness), 1e-15);
    }

    private static List<Integer> draws(ParentSelection selection, List<Individual> population, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> parents = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            parents.add(selection.select(population, random).parent().generation());
        }
        return parents;
    }
}
