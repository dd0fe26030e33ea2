package dev.jnas.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.fuzz.Draw;
import dev.jnas.fuzz.Fuzz;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DARTS genotypes, from architecture weights (any floats, NaN and infinities included, and wrong shapes) and from
 * entries: every genotype that exists is one DARTS's evaluation code can build, and anything else is refused.
 */
class DartsGenotypeFuzzTest {
    private static final int COLUMNS = DartsOp.values().length;

    private record Weights(float[][] normal, float[][] reduce) {
        @Override
        public String toString() {
            return "normal " + Arrays.deepToString(normal) + ", reduce " + Arrays.deepToString(reduce);
        }
    }

    @Test
    void weightsDeriveAValidGenotypeOrAreRefusedNamingTheCell() {
        Fuzz.forAll("DARTS weights", random -> new Weights(weights(random), weights(random)), input -> {
            DartsGenotype genotype;
            try {
                genotype = DartsGenotype.derive(input.normal(), input.reduce());
            } catch (IllegalArgumentException e) {
                Fuzz.assertNames(e, "weights must be [14][8]");
                return;
            }
            assertEquals(genotype, new DartsGenotype(genotype.normal(), genotype.reduce()));
            assertTrue(genotype.toString().startsWith("Genotype(normal=[('"), genotype.toString());
        });
    }

    @Test
    void entriesMakeAGenotypeOnlyWhenEveryInputIsAnEarlierState() {
        Fuzz.forAll("DARTS entries", random -> {
            List<DartsGenotype.Entry> entries = new ArrayList<>();
            int count = random.nextInt(10) == 0 ? random.nextInt(12) : DartsGenotype.ENTRIES;
            for (int k = 0; k < count; k++) {
                int node = DartsEdge.INPUTS + k / DartsGenotype.INPUTS_PER_NODE;
                int input = random.nextInt(8) == 0 ? random.nextInt(-2, 9) : random.nextInt(Math.min(node, 6));
                entries.add(new DartsGenotype.Entry(Draw.oneOf(random, List.of(DartsOp.values())), input));
            }
            return entries;
        }, entries -> {
            boolean valid = entries.size() == DartsGenotype.ENTRIES;
            for (int k = 0; k < entries.size(); k++) {
                DartsGenotype.Entry entry = entries.get(k);
                valid &= entry.op() != DartsOp.NONE && entry.input() >= 0
                        && entry.input() < DartsEdge.INPUTS + k / DartsGenotype.INPUTS_PER_NODE;
            }
            if (valid) {
                assertEquals(entries, new DartsGenotype(entries, entries).normal());
            } else {
                Fuzz.assertNames(assertThrows(IllegalArgumentException.class,
                        () -> new DartsGenotype(entries, entries)), "normal");
            }
        });
    }

    /** Regression: an entry reading a later state (or through 'none') made a genotype DARTS cannot build. */
    @Test
    void anEntryFromALaterStateIsRefused() {
        List<DartsGenotype.Entry> entries = new ArrayList<>(DartsGenotype.derive(uniform(), uniform()).normal());
        entries.set(0, new DartsGenotype.Entry(DartsOp.SKIP_CONNECT, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DartsGenotype(entries, entries));
        assertEquals("normal entry 0 ('skip_connect', 5) cannot feed step node 2, which reads states 0..1 through ops"
                + " other than 'none'", e.getMessage());
        entries.set(0, new DartsGenotype.Entry(DartsOp.NONE, 0));
        assertThrows(IllegalArgumentException.class, () -> new DartsGenotype(entries, entries));
    }

    private static float[][] uniform() {
        float[][] weights = new float[DartsEdge.ALL.size()][COLUMNS];
        for (float[] row : weights) {
            Arrays.fill(row, 1f / COLUMNS);
        }
        return weights;
    }

    /** [14][8] weights, some extreme, a tenth of the time with a wrong number of rows or columns. */
    private static float[][] weights(SplittableRandom random) {
        int rows = random.nextInt(10) == 0 ? random.nextInt(20) : DartsEdge.ALL.size();
        float[][] weights = new float[rows][];
        for (int row = 0; row < rows; row++) {
            weights[row] = new float[random.nextInt(40) == 0 ? random.nextInt(10) : COLUMNS];
            for (int column = 0; column < weights[row].length; column++) {
                weights[row][column] = random.nextInt(10) == 0 ? Draw.anyFloat(random) : random.nextFloat();
            }
        }
        return weights;
    }
}
