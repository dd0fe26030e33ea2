package dev.jnas.search.bayesnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.search.StageListener;
import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.data.LabeledImages;
import dev.jnas.space.bayescell.BayesSwitches;
import dev.jnas.space.bayescell.SwitchGroupSlots;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BayesSearchTest {
    private static final LabeledImages IMAGES = TinySearch.images(40, 5);

    private static BayesSearch.Result search(long seed, int iterations) {
        try (Engine engine = Engine.open(Backend.CPU)) {
            engine.setThreads(1);
            return new BayesSearch(engine, new BayesSearchSettings(TinySearch.LAYOUT,
                    new ArdUpdate(0.01, 0.01), 10, iterations, seed)).run(IMAGES, StageListener.QUIET);
        }
    }

    @Test
    void theSameSeedGivesTheSameBitsAndAnotherSeedOthers() {
        BayesSearch.Result first = search(7, 2);
        BayesSearch.Result again = search(7, 2);
        assertEquals(first.genotype(), again.genotype());
        assertEquals(2, first.iterations().size());
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(gammas(first.iterations().get(t)), gammas(again.iterations().get(t)));
            assertArrayEquals(omegas(first.iterations().get(t)), omegas(again.iterations().get(t)));
        }
        assertFalse(Arrays.equals(gammas(first.last()), gammas(search(8, 1).last())));
    }

    /**
     * One update per group in group order; the switches moved from their initial 1 in the joint epoch; op γ never
     * exceeds its edge's; the genotype keeps exactly the ops the entropy rule keeps, none on a pruned edge.
     */
    @Test
    void updatesFollowTheHierarchyAndTheGenotypeFollowsTheRule() {
        BayesSearch.Result result = search(7, 1);
        List<SwitchGroupSlots> groups = BayesSwitches.groups(TinySearch.LAYOUT);
        assertEquals(groups, result.last().stream().map(GroupUpdate::group).toList());
        Map<String, GroupUpdate> origins = result.last().stream().filter(update -> update.group().origin())
                .collect(Collectors.toMap(update -> edge(update.group()), update -> update));
        boolean moved = false;
        for (GroupUpdate update : result.last()) {
            for (double s : update.switches()) {
                moved |= s != 1;
            }
            assertTrue(update.gamma() > 0 && Double.isFinite(update.gamma()), update.group().label());
            GroupUpdate origin = origins.get(edge(update.group()));
            assertTrue(update.gamma() <= origin.gamma(), update.group().label());
            update.group().op().ifPresent(op -> {
                boolean kept = result.genotype().cell(update.group().cellType()).ops(update.group().edge())
                        .contains(op);
                assertEquals(!origin.pruned() && !update.pruned(), kept, update.group().label());
                if (origin.pruned()) {
                    assertFalse(kept, "HARD: " + update.group().label() + " kept on a pruned edge");
                }
            });
        }
        assertTrue(moved, "no switch moved in the joint epoch");
        assertNotEquals(0.0, result.last().getFirst().meanHessian());
    }

    @Test
    void imagesOfTheWrongShapeAreRefused() {
        LabeledImages wrong = new LabeledImages(10, 1, 9, 9, 3, new float[10 * 81], new int[10]);
        try (Engine engine = Engine.open(Backend.CPU)) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> new BayesSearch(engine, new BayesSearchSettings(TinySearch.LAYOUT, new ArdUpdate(0.01, 0.01),
                            10, 1, 0)).run(wrong, StageListener.QUIET));
            assertTrue(error.getMessage().contains("1x9x9"), error.getMessage());
        }
    }

    private static String edge(SwitchGroupSlots group) {
        return group.cellType().label() + "/" + group.edge().name();
    }

    private static double[] gammas(List<GroupUpdate> updates) {
        return updates.stream().mapToDouble(GroupUpdate::gamma).toArray();
    }

    private static double[] omegas(List<GroupUpdate> updates) {
        return updates.stream().mapToDouble(GroupUpdate::omega).toArray();
    }
}
