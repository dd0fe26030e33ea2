package dev.jnas.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.search.tenas.OpMask;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DartsGenotypeTest {
    private static final int NONE = 0;
    private static final int SKIP = 1;
    private static final int SEP3 = 2;
    private static final int SEP5 = 3;
    private static final int DIL3 = 4;
    private static final int DIL5 = 5;
    private static final int AVG = 6;
    private static final int MAX = 7;

    /**
     * Normal cell, node by node (entries strongest edge first):
     * node 2: 2&lt;-0's 'none' (0.9) would be the strongest op but does not count, leaving sep3 at 0.05, below
     * 2&lt;-1's dil5 at 0.5; node 3: 3&lt;-0 (max) and 3&lt;-1 (avg) tie at 0.4 above 3&lt;-2 (0.3), the lower input
     * first; node 4: 4&lt;-1 (sep3, 0.6) then 4&lt;-3, whose sep5 and dil3 tie at 0.3 (sep5 is listed first), while
     * 4&lt;-2's 'none' at 0.95 again does not count; node 5: all edges uniform, so inputs 0 and 1 and skip_connect.
     * Reduction cell: every edge one op at weight 1, so each node keeps inputs 0 and 1.
     */
    @Test
    void derivesTheTwoStrongestEdgesOfEachNodeIgnoringNone() {
        float[][] normal = new float[14][];
        normal[0] = row(0f, NONE, 0.9f, SEP3, 0.05f);
        normal[1] = row(0f, DIL5, 0.5f);
        normal[2] = row(0.1f, MAX, 0.4f);
        normal[3] = row(0.1f, AVG, 0.4f);
        normal[4] = row(0.1f, SKIP, 0.3f);
        normal[5] = row(0.1f);
        normal[6] = row(0.1f, SEP3, 0.6f);
        normal[7] = row(0.05f, NONE, 0.95f);
        normal[8] = row(0.1f, SEP5, 0.3f, DIL3, 0.3f);
        for (int edge = 9; edge < 14; edge++) {
            normal[edge] = row(0.125f);
        }
        float[][] reduce = new float[14][];
        for (int edge = 0; edge < 14; edge++) {
            reduce[edge] = row(0f, edge % 7 + 1, 1f);
        }
        assertEquals("Genotype(normal=[('dil_conv_5x5', 1), ('sep_conv_3x3', 0), ('max_pool_3x3', 0),"
                + " ('avg_pool_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_5x5', 3), ('skip_connect', 0),"
                + " ('skip_connect', 1)], normal_concat=[2, 3, 4, 5], reduce=[('skip_connect', 0), ('sep_conv_3x3', 1),"
                + " ('sep_conv_5x5', 0), ('dil_conv_3x3', 1), ('avg_pool_3x3', 0), ('max_pool_3x3', 1),"
                + " ('sep_conv_5x5', 0), ('dil_conv_3x3', 1)], reduce_concat=[2, 3, 4, 5])",
                DartsGenotype.derive(normal, reduce).toString());
    }

    /** TE-NAS's published CIFAR-10 cells (DARTS_evaluation's TENAS_cifar10) as the pruning leaves them. */
    @Test
    void describesAPrunedMaskAsItsGenotype() {
        String normal = "dil_conv_3x3@0 sep_conv_5x5@1 sep_conv_3x3@0 sep_conv_3x3@2 skip_connect@0 dil_conv_5x5@1"
                + " sep_conv_3x3@1 sep_conv_5x5@3";
        String reduce = "sep_conv_5x5@0 sep_conv_5x5@1 sep_conv_5x5@1 sep_conv_5x5@2 sep_conv_3x3@1 sep_conv_3x3@3"
                + " sep_conv_5x5@2 sep_conv_3x3@4";
        OpMask mask = OpMask.decode(maskText(normal) + ";" + maskText(reduce));
        assertEquals("Genotype(normal=[('dil_conv_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_3x3', 0),"
                + " ('sep_conv_3x3', 2), ('skip_connect', 0), ('dil_conv_5x5', 1), ('sep_conv_3x3', 1),"
                + " ('sep_conv_5x5', 3)], normal_concat=[2, 3, 4, 5], reduce=[('sep_conv_5x5', 0), ('sep_conv_5x5', 1),"
                + " ('sep_conv_5x5', 1), ('sep_conv_5x5', 2), ('sep_conv_3x3', 1), ('sep_conv_3x3', 3),"
                + " ('sep_conv_5x5', 2), ('sep_conv_3x3', 4)], reduce_concat=[2, 3, 4, 5])",
                DartsSpace.cifar().describe(mask));
    }

    /** The unpruned mask weighs every op alike: every node keeps inputs 0 and 1 with the first op. */
    @Test
    void describesTheFullMaskByTheTieRules() {
        String cell = "[('skip_connect', 0), ('skip_connect', 1), ('skip_connect', 0), ('skip_connect', 1),"
                + " ('skip_connect', 0), ('skip_connect', 1), ('skip_connect', 0), ('skip_connect', 1)]";
        assertEquals("Genotype(normal=" + cell + ", normal_concat=[2, 3, 4, 5], reduce=" + cell
                + ", reduce_concat=[2, 3, 4, 5])", DartsSpace.cifar().describe(OpMask.full(2, 14, 7)));
    }

    @Test
    void rejectsMasksAndWeightsOfAnotherShape() {
        assertThrows(IllegalArgumentException.class, () -> DartsSpace.cifar().describe(OpMask.full(1, 6, 4)));
        float[][] good = new float[14][8];
        assertThrows(IllegalArgumentException.class, () -> DartsGenotype.derive(new float[14][7], good));
        assertThrows(IllegalArgumentException.class, () -> DartsGenotype.derive(good, new float[9][8]));
        assertThrows(IllegalArgumentException.class, () -> new DartsGenotype(List.of(), List.of()));
    }

    /** An edge's weights over the 8 ops ('none' first): base everywhere. */
    private static float[] row(float base) {
        float[] weights = new float[DartsOp.values().length];
        Arrays.fill(weights, base);
        return weights;
    }

    /** base everywhere but value at op. */
    private static float[] row(float base, int op, float value) {
        float[] weights = row(base);
        weights[op] = value;
        return weights;
    }

    private static float[] row(float base, int op, float value, int otherOp, float otherValue) {
        float[] weights = row(base, op, value);
        weights[otherOp] = otherValue;
        return weights;
    }

    /**
     * One cell type of an {@link OpMask#encode()} text in which node j keeps exactly the two edges its
     * "op@input" entries name (entries 2(j-2) and 2(j-2)+1), each with that op alone.
     */
    private static String maskText(String entries) {
        String[] parts = entries.split(" ");
        char[][] edges = new char[14][7];
        for (char[] edge : edges) {
            Arrays.fill(edge, '0');
        }
        for (int i = 0; i < parts.length; i++) {
            String[] opInput = parts[i].split("@");
            int node = DartsEdge.INPUTS + i / 2;
            int edge = new DartsEdge(node, Integer.parseInt(opInput[1])).index();
            DartsOp op = Arrays.stream(DartsOp.values()).filter(o -> o.referenceName().equals(opInput[0]))
                    .findFirst().orElseThrow();
            edges[edge][DartsOp.CANDIDATES.indexOf(op)] = '1';
        }
        return String.join(",", Arrays.stream(edges).map(String::new).toList());
    }
}
