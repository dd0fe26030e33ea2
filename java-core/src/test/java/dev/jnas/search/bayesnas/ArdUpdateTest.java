package dev.jnas.search.bayesnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Laplace/ARD update through the engine's batched kernel on hand-computed numbers (float storage, so 1e-6
 * relative), the HARD cap of op variances by their edge's, and the batching by cell count.
 */
class ArdUpdateTest {
    private static final double RTOL = 1e-6;
    private static Engine engine;
    private final ArdUpdate update = new ArdUpdate(0.01, 0.01);

    @BeforeAll
    static void open() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, RTOL * Math.abs(expected));
    }

    /**
     * Group 0 (origin): s = (0.6, 0.8), H = (0.02, 0.04), γ = 0.5, λ = 0.01: H̃ = (2, 4), C = (1/4, 1/6),
     * ω² = 2/2 + 4/3 = 7/3, γ' = 1/ω. Group 1 (an op of that edge): s = (0.3, 0.4), H = (0.01, 0), γ = 1: C = (1/2, 1),
     * ω² = 1/2, γ' = 0.5/√0.5 = √0.5, then combined with the edge's: (1/√0.5 + ω_0)⁻¹.
     */
    @Test
    void originAndOpGroupsFollowTheLaplaceUpdate() {
        List<ArdUpdate.Result> results = update.update(engine, List.of(
                new SwitchGroup(new double[] {0.6, 0.8}, new double[] {0.02, 0.04}, 0.5, true),
                new SwitchGroup(new double[] {0.3, 0.4}, new double[] {0.01, 0}, 1.0, false)), new int[] {-1, 0});
        assertArrayEquals(new double[] {0.25, 1.0 / 6}, results.get(0).covariances(), RTOL);
        assertClose(Math.sqrt(7.0 / 3), results.get(0).omega());
        double edgeGamma = 1 / Math.sqrt(7.0 / 3);
        assertClose(edgeGamma, results.get(0).gamma());
        assertArrayEquals(new double[] {0.5, 1.0}, results.get(1).covariances(), RTOL);
        assertClose(Math.sqrt(0.5), results.get(1).omega());
        assertClose(1 / (1 / Math.sqrt(0.5) + 1 / edgeGamma), results.get(1).gamma());
    }

    /**
     * A switch the loss barely feels: s = 0.5, H = 1e-22, γ = 1, λ = 0.01, so H̃ = 1e-20 and 1/γ − C/γ² cancels to 0
     * in double; H̃/(1 + γH̃) does not, so ω = 1e-10 and γ' = 5e9, finite.
     */
    @Test
    void aTinyHessianGivesAFiniteGammaRatherThanACancellation() {
        ArdUpdate.Result result = update.update(engine, List.of(new SwitchGroup(new double[] {0.5},
                new double[] {1e-22}, 1.0, true)), new int[] {-1}).getFirst();
        assertClose(1e-10, result.omega());
        assertClose(5e9, result.gamma());
    }

    /** A group whose Hessian is 0 everywhere is pruned, its op groups with it; a pruned group stays pruned. */
    @Test
    void unfeltAndPrunedGroupsArePruned() {
        List<ArdUpdate.Result> results = update.update(engine, List.of(
                new SwitchGroup(new double[] {0.7}, new double[] {0}, 2.0, true),
                new SwitchGroup(new double[] {0.7}, new double[] {0.5}, 1.0, false),
                new SwitchGroup(new double[] {0.7}, new double[] {0.5}, 0.0, true)), new int[] {-1, 0, -1});
        assertEquals(0, results.get(0).gamma());
        assertEquals(0, results.get(1).gamma());
        assertEquals(0, results.get(2).gamma());
    }

    /** Groups of 3 cells and of 2 cells go through separate engine calls; parents are renumbered into each. */
    @Test
    void groupsOfDifferentCellCountsAreBatchedSeparately() {
        SwitchGroup two = new SwitchGroup(new double[] {0.6, 0.8}, new double[] {0.02, 0.04}, 0.5, true);
        SwitchGroup three = new SwitchGroup(new double[] {0.1, 0.2, 0.3}, new double[] {0.01, 0.02, 0.03}, 0.7, true);
        SwitchGroup threeOp = new SwitchGroup(new double[] {0.3, 0.2, 0.1}, new double[] {0.03, 0.02, 0.01}, 0.9,
                false);
        List<ArdUpdate.Result> mixed = update.update(engine, List.of(three, two, threeOp), new int[] {-1, -1, 0});
        List<ArdUpdate.Result> alone = update.update(engine, List.of(three, threeOp), new int[] {-1, 0});
        assertEquals(alone.get(1).gamma(), mixed.get(2).gamma());
        assertEquals(update.update(engine, List.of(two), new int[] {-1}).getFirst().gamma(), mixed.get(1).gamma());
    }

    @Test
    void anOpNeverKeepsMoreVarianceThanItsEdge() {
        SplittableRandom random = new SplittableRandom(4);
        List<SwitchGroup> groups = new ArrayList<>();
        int[] parents = new int[2000];
        for (int trial = 0; trial < 1000; trial++) {
            groups.add(new SwitchGroup(new double[] {random.nextDouble()}, new double[] {random.nextDouble()},
                    0.01 + 10 * random.nextDouble(), true));
            groups.add(new SwitchGroup(new double[] {random.nextDouble()}, new double[] {random.nextDouble()},
                    0.01 + random.nextDouble(), false));
            parents[2 * trial] = -1;
            parents[2 * trial + 1] = 2 * trial;
        }
        List<ArdUpdate.Result> results = update.update(engine, groups, parents);
        for (int trial = 0; trial < 1000; trial++) {
            double edge = results.get(2 * trial).gamma();
            double op = results.get(2 * trial + 1).gamma();
            assertTrue(op <= edge, op + " > " + edge);
        }
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ArdUpdate(0, 0.01));
        assertThrows(IllegalArgumentException.class, () -> new SwitchGroup(new double[] {1}, new double[] {}, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new SwitchGroup(new double[] {1}, new double[] {1}, -1, true));
        SwitchGroup origin = new SwitchGroup(new double[] {1}, new double[] {1}, 1, true);
        SwitchGroup op = new SwitchGroup(new double[] {1}, new double[] {1}, 1, false);
        SwitchGroup wideOrigin = new SwitchGroup(new double[] {1, 1}, new double[] {1, 1}, 1, true);
        assertThrows(IllegalArgumentException.class, () -> update.update(engine, List.of(op), new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> update.update(engine, List.of(origin, op),
                new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> update.update(engine, List.of(wideOrigin, op),
                new int[] {-1, 0}));
        assertThrows(IllegalArgumentException.class, () -> update.update(engine, List.of(origin), new int[0]));
    }
}
