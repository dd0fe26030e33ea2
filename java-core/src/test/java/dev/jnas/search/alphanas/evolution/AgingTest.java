package dev.jnas.search.alphanas.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.space.program.SeedModels;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AgingTest {

    /** Individuals born in the given generations, index i born in births[i]; the first two are the seed model. */
    private static List<Individual> born(int... births) {
        List<Individual> population = new ArrayList<>();
        for (int i = 0; i < births.length; i++) {
            population.add(new Individual(births[i], i < 2 ? OptionalInt.empty() : OptionalInt.of(births[0]),
                    SeedModels.smallCnn(10), Fitness.trained(0.9, 1000, 50_000, 1)));
        }
        return population;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> indices = new ArrayList<>();
        for (int i = from; i < to; i++) {
            indices.add(i);
        }
        return indices;
    }

    @Test
    void keepsExactlyThoseBornWithinTheLastGenerationsToLive() {
        List<Individual> population = born(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertEquals(List.of(9, 10, 11), new Aging(3).alive(population, range(0, 12), 12));
        assertEquals(List.of(11), new Aging(1).alive(population, range(0, 12), 12));
        assertEquals(List.of(9, 11), new Aging(3).alive(population, List.of(0, 4, 9, 11), 12));
        assertEquals(range(0, 12), Aging.OFF.alive(population, range(0, 12), 12));
    }

    /** The seed model's individuals, born in generations 0 and 1, age like the others. */
    @Test
    void theSeedModelAgesToo() {
        List<Individual> population = born(0, 1, 2, 3);
        assertEquals(List.of(1, 2, 3), new Aging(3).alive(population, range(0, 4), 4));
        assertEquals(List.of(2, 3), new Aging(3).alive(population, range(0, 4), 5));
    }

    /** Nobody within the last N generations: the N youngest candidates, or all of them if fewer. */
    @Test
    void fallsBackToTheYoungestCandidates() {
        List<Individual> population = born(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        // 9 to 11 are not candidates (below the minimum accuracy).
        assertEquals(List.of(6, 7, 8), new Aging(3).alive(population, range(0, 9), 12));
        // Generations 6 to 19 made no child.
        List<Individual> gapped = born(0, 1, 2, 3, 4, 5);
        assertEquals(List.of(4, 5), new Aging(2).alive(gapped, range(0, 6), 20));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), new Aging(10).alive(gapped, range(0, 6), 20));
    }

    @Test
    void negativeGenerationsToLiveAreRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new Aging(-1));
        assertEquals("--generations-to-live cannot be negative (0 turns aging off), got -1", error.getMessage());
    }
}
