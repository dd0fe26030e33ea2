package dev.jnas.search.tenas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeData;
import dev.jnas.metrics.ProbeDataSets;
import dev.jnas.store.EvaluationStore;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pruning search end to end on {@link TinySpace}: it finishes, is deterministic, and resumes exactly. */
class TenasPrunerTest {
    private static final TenasSettings SETTINGS = new TenasSettings(new MetricSettings(
            EnumSet.of(MetricKind.NTK, MetricKind.LINEAR_REGIONS), 8, 2, InitScheme.PYTORCH_DEFAULT,
            BnCoupling.FROZEN, "synthetic"), RepeatDraws.FRESH, 1);
    private static final ProbeData DATA = ProbeDataSets.load("synthetic");

    @TempDir
    Path dir;

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private TenasPruner.Result search(RoundCheckpoints checkpoints, TenasPruner.Listener listener) {
        return new TenasPruner(new TinySpace(), SETTINGS, 5).run(List.of(engine), DATA, checkpoints, listener);
    }

    @Test
    void opRoundsThenEdgePruningLeaveOneOpPerEdgeAndOneInputOfNode2() {
        TenasPruner.Result result = search(RoundCheckpoints.NONE, new TenasPruner.Listener() { });
        // 3 ops -> 2 -> 1 on every edge (2 op rounds), then node 2 keeps one of its two inputs.
        assertEquals(3, result.rounds().size());
        assertEquals(List.of(9, 6, 2), result.rounds().stream().map(r -> r.ranking().size()).toList());
        assertTrue(result.rounds().get(0).isOpRound() && result.rounds().get(1).isOpRound());
        assertEquals("edges 2<-0..2<-1 of cell", result.rounds().get(2).scope());
        OpMask mask = result.mask();
        assertTrue(mask.isSinglePath());
        assertEquals(1, mask.activeCount(0, 0));
        assertEquals(1, mask.activeCount(0, 1) + mask.activeCount(0, 2));
        for (RoundResult round : result.rounds()) {
            assertTrue(Double.isFinite(round.baseKappa()) && round.baseKappa() > 0, "kappa " + round.baseKappa());
            assertTrue(round.baseRegions() >= 1, "regions " + round.baseRegions());
            assertEquals(round.round() < 2 ? 3 : 1, round.ranking().stream().filter(RankedCandidate::pruned).count());
        }
        assertEquals(result.architecture(), new TinySpace().describe(mask));
    }

    @Test
    void theSameSeedGivesTheSameSearch() {
        TenasPruner.Result first = search(RoundCheckpoints.NONE, new TenasPruner.Listener() { });
        TenasPruner.Result second = search(RoundCheckpoints.NONE, new TenasPruner.Listener() { });
        assertEquals(first.architecture(), second.architecture());
        for (int r = 0; r < first.rounds().size(); r++) {
            assertEquals(first.rounds().get(r).ranking(), second.rounds().get(r).ranking());
            assertEquals(first.rounds().get(r).baseKappa(), second.rounds().get(r).baseKappa());
        }
    }

    /** Workers measure candidates side by side on their own engines; the search is the same bits. */
    @Test
    void twoWorkersGiveTheSameSearchAsOne() {
        TenasPruner.Result one = search(RoundCheckpoints.NONE, new TenasPruner.Listener() { });
        TenasPruner.Result two;
        try (Engine second = Engine.open(Backend.CPU)) {
            engine.setThreads(1);
            second.setThreads(1);
            two = new TenasPruner(new TinySpace(), SETTINGS, 5).run(List.of(engine, second), DATA,
                    RoundCheckpoints.NONE, new TenasPruner.Listener() { });
        }
        assertEquals(one.architecture(), two.architecture());
        for (int r = 0; r < one.rounds().size(); r++) {
            assertEquals(one.rounds().get(r).ranking(), two.rounds().get(r).ranking());
            assertEquals(one.rounds().get(r).baseKappa(), two.rounds().get(r).baseKappa());
            assertEquals(one.rounds().get(r).baseRegions(), two.rounds().get(r).baseRegions());
        }
    }

    /** A search killed after its first round resumes from the store and ends exactly as one that ran through. */
    @Test
    void aResumedSearchEndsAsAnUninterruptedOne() {
        TenasPruner.Result uninterrupted = search(RoundCheckpoints.NONE, new TenasPruner.Listener() { });
        try (EvaluationStore store = EvaluationStore.open(dir.resolve("store.sqlite"))) {
            assertThrows(Killed.class, () -> search(store.searchRounds("tiny"), new TenasPruner.Listener() {
                @Override
                public void onRound(RoundResult round, boolean fromStore) {
                    throw new Killed();
                }
            }));
        }
        try (EvaluationStore store = EvaluationStore.open(dir.resolve("store.sqlite"))) {
            TenasPruner.Result resumed = search(store.searchRounds("tiny"), new TenasPruner.Listener() { });
            assertEquals(1, resumed.resumedRounds());
            assertEquals(uninterrupted.architecture(), resumed.architecture());
            assertEquals(uninterrupted.mask(), resumed.mask());
            for (int r = 0; r < uninterrupted.rounds().size(); r++) {
                RoundResult want = uninterrupted.rounds().get(r);
                RoundResult got = resumed.rounds().get(r);
                assertEquals(want.ranking(), got.ranking(), "round " + r);
                assertEquals(want.baseKappa(), got.baseKappa());
                assertEquals(want.maskAfter(), got.maskAfter());
            }
        }
    }

    private static final class Killed extends RuntimeException {
    }
}
