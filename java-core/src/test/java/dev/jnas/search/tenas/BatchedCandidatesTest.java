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
import dev.jnas.space.nb201.Nb201PruningSpace;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batched candidates: a round's masks measured as sample groups of one call give what measuring them one by one
 * gives, on NB201's supernets and in a whole search.
 */
class BatchedCandidatesTest {
    private static final MetricSettings METRICS = new MetricSettings(
            EnumSet.of(MetricKind.NTK, MetricKind.LINEAR_REGIONS), 8, 1, InitScheme.PYTORCH_DEFAULT,
            BnCoupling.FROZEN, "synthetic");
    private static final ProbeData DATA = ProbeDataSets.load("synthetic");

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** The unpruned NB201 supernet and candidates that prune one op each, including a whole conv branch. */
    private static List<OpMask> nb201Masks(PruningSpace space) {
        OpMask full = OpMask.full(1, space.edges(), space.ops().size());
        List<OpMask> masks = new ArrayList<>(List.of(full));
        for (int op = 0; op < space.ops().size(); op++) {
            masks.add(full.without(0, op, op));
        }
        masks.add(full.without(0, 0, 0).without(0, 0, 1).without(0, 0, 2));
        return masks;
    }

    private static List<SupernetMetrics.Measurement> measure(Engine engine, PruningSpace space, List<OpMask> masks,
                                                             int candidatesPerCall) {
        try (SupernetMetrics metrics = SupernetMetrics.open(engine, space, METRICS, DATA, candidatesPerCall)) {
            metrics.draw(11, 12);
            return metrics.measure(masks);
        }
    }

    @Test
    void nb201CandidatesInOneCallMeasureAsOneByOne() {
        PruningSpace space = new Nb201PruningSpace();
        List<OpMask> masks = nb201Masks(space);
        List<SupernetMetrics.Measurement> oneByOne = measure(engine, space, masks, 1);
        for (int perCall : new int[] {masks.size(), 3}) {
            List<SupernetMetrics.Measurement> batched = measure(engine, space, masks, perCall);
            assertEquals(masks.size(), batched.size());
            for (int i = 0; i < masks.size(); i++) {
                SupernetMetrics.Measurement expected = oneByOne.get(i);
                SupernetMetrics.Measurement got = batched.get(i);
                String what = perCall + " per call, mask " + i;
                assertEquals(expected.regions(), got.regions(), what);
                assertEquals(expected.flags(), got.flags(), what);
                assertEquals(expected.kappa(), got.kappa(), 1e-3 * Math.abs(expected.kappa()), what);
            }
        }
        // The candidates differ from each other, so the comparison above compares something.
        assertTrue(oneByOne.stream().map(SupernetMetrics.Measurement::kappa).distinct().count() > masks.size() / 2);
    }

    @Test
    void aBatchedSearchFindsTheSameCell() {
        TenasSettings oneByOne = new TenasSettings(METRICS, RepeatDraws.FRESH, 1);
        TenasSettings batched = new TenasSettings(METRICS, RepeatDraws.FRESH, 1, 16);
        TinySpace space = new TinySpace();
        TenasPruner.Result expected = new TenasPruner(space, oneByOne, 3).run(List.of(engine), DATA,
                RoundCheckpoints.NONE, new TenasPruner.Listener() { });
        TenasPruner.Result got = new TenasPruner(space, batched, 3).run(List.of(engine), DATA, RoundCheckpoints.NONE,
                new TenasPruner.Listener() { });
        assertEquals(expected.architecture(), got.architecture());
        assertEquals(expected.rounds().size(), got.rounds().size());
        for (int r = 0; r < expected.rounds().size(); r++) {
            assertEquals(expected.rounds().get(r).ranking(), got.rounds().get(r).ranking(), "round " + r);
        }
    }

    @Test
    void exactCouplingIsMeasuredOneByOne() {
        MetricSettings exact = new MetricSettings(EnumSet.of(MetricKind.NTK, MetricKind.LINEAR_REGIONS), 8, 1,
                InitScheme.PYTORCH_DEFAULT, BnCoupling.EXACT, "synthetic");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TenasSettings(exact, RepeatDraws.FRESH, 1, 4));
        assertTrue(e.getMessage().contains("frozen"), e.getMessage());
        assertEquals(new TenasSettings(METRICS, RepeatDraws.FRESH, 1).key() + ";candidates-per-call=4",
                new TenasSettings(METRICS, RepeatDraws.FRESH, 1, 4).key());
    }
}
