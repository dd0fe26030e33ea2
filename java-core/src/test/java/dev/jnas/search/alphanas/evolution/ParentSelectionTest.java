package dev.jnas.search.alphanas.evolution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.program.SeedModels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
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
        ParentSelection selection = new ParentSelection(FitnessKind.TRAIN, 0.5, Aging.OFF, false);
        List<Individual> population = population();
        assertEquals(draws(selection, population, 7), draws(selection, population, 7));
        assertNotEquals(draws(selection, population, 7), draws(selection, population, 8));
    }

    /** The parents and objectives of seed 7's draws, as selection drew them before aging and targeting existed. */
    @Test
    void defaultOptionsDrawThePinnedParents() {
        String pinned = "16:MACS, 12:PARAMETERS, 12:PARAMETERS, 13:MACS, 28:PARAMETERS, 11:MACS, 29:MACS, 28:QUALITY, "
                + "13:MACS, 28:QUALITY, 21:MACS, 28:QUALITY, 29:PARAMETERS, 22:QUALITY, 18:PARAMETERS, 12:PARAMETERS, "
                + "28:QUALITY, 28:PARAMETERS, 24:PARAMETERS, 28:QUALITY, 29:PARAMETERS, 29:PARAMETERS, 16:MACS, "
                + "24:PARAMETERS, 16:PARAMETERS, 11:MACS, 29:MACS, 24:PARAMETERS, 29:MACS, 24:PARAMETERS, 29:QUALITY, "
                + "17:PARAMETERS, 11:MACS, 29:MACS, 11:PARAMETERS, 24:MACS, 29:QUALITY, 18:PARAMETERS, 23:PARAMETERS, "
                + "12:PARAMETERS, 11:PARAMETERS, 16:PARAMETERS, 22:MACS, 18:PARAMETERS, 16:MACS, 27:MACS, "
                + "12:PARAMETERS, 11:MACS, 27:MACS, 11:MACS";
        ParentSelection selection = new ParentSelection(FitnessKind.TRAIN, 0.5, Aging.OFF, false);
        List<Individual> population = population();
        SplittableRandom random = new SplittableRandom(7);
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ParentSelection.Choice choice = selection.select(population, 30, random);
            drawn.add(choice.parent().generation() + ":" + choice.objective());
        }
        assertEquals(pinned, String.join(", ", drawn));
    }

    /** With 3 generations to live, generation 30's parent is one of 27, 28 and 29, and each of them is drawn. */
    @Test
    void agingDrawsOnlyTheYoungOnes() {
        ParentSelection selection = new ParentSelection(FitnessKind.TRAIN, 0.5, new Aging(3), false);
        assertEquals(Set.of(27, 28, 29), new HashSet<>(draws(selection, population(), 5)));
    }

    /** Generations 27 to 29 below the minimum accuracy: the fallback draws among the three youngest that qualify. */
    @Test
    void agingFallsBackToTheYoungestThatQualify() {
        List<Individual> population = new ArrayList<>(population());
        for (int g = 27; g < 30; g++) {
            population.set(g, new Individual(g, OptionalInt.of(0), SeedModels.smallCnn(10),
                    Fitness.trained(0.4, 1000, 50_000, 1)));
        }
        ParentSelection selection = new ParentSelection(FitnessKind.TRAIN, 0.5, new Aging(3), false);
        assertEquals(Set.of(24, 25, 26), new HashSet<>(draws(selection, population, 5)));
    }

    /** Targeted draws are Pareto draws, so quality alone weighs 0.2 of the untargeted half: 0.1 of all draws. */
    @Test
    void targetedEvolutionTargetsHalfTheDraws() {
        List<Individual> population = population();
        for (boolean targeted : new boolean[] {false, true}) {
            ParentSelection selection = new ParentSelection(FitnessKind.TRAIN, 0.5, Aging.OFF, targeted);
            SplittableRandom random = new SplittableRandom(9);
            int draws = 20_000;
            int byQuality = 0;
            for (int i = 0; i < draws; i++) {
                if (selection.select(population, 30, random).objective() == ParentSelection.Objective.QUALITY) {
                    byQuality++;
                }
            }
            assertEquals(targeted ? 0.1 : 0.2, byQuality / (double) draws, 0.01);
        }
    }

    @Test
    void neverPicksBelowTheMinimumAccuracy() {
        ParentSelection selection = new ParentSelection(FitnessKind.TRAIN, 0.5, Aging.OFF, false);
        for (int generation : draws(selection, population(), 1)) {
            assertTrue(0.3 + 0.02 * generation >= 0.5 - 1e-9, "picked generation " + generation);
        }
    }

    @Test
    void fallsBackToUniformWhenNothingQualifies() {
        ParentSelection.Choice choice = new ParentSelection(FitnessKind.TRAIN, 0.99, Aging.OFF, false)
                .select(population(), 30, new SplittableRandom(3));
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
            parents.add(selection.select(population, population.size(), random).parent().generation());
        }
        return parents;
    }
}
