package dev.jnas.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.metrics.ArchitectureScorer;
import dev.jnas.metrics.MetricFlags;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.Score;
import dev.jnas.space.nb201.Nb201Architecture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store round-trips scores exactly (NaN and infinities too) and a sweep resumes without recomputing. */
class EvaluationStoreTest {
    private static final String SETTINGS = "metrics=ntk,lr,naswot;test";

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNanInfinitiesFlagsAndAbsentMetrics() {
        Path file = dir.resolve("nested/store.sqlite");
        Map<MetricKind, Double> values = new EnumMap<>(MetricKind.class);
        values.put(MetricKind.NTK, Double.NaN);
        values.put(MetricKind.NASWOT, Double.NEGATIVE_INFINITY);
        Score odd = new Score(values, MetricFlags.NTK_NONFINITE | MetricFlags.NASWOT_SINGULAR, 0.25);
        Score plain = new Score(Map.of(MetricKind.LINEAR_REGIONS, 812.0, MetricKind.NTK, 1234.5678901234567), 0, 1.5);
        EvaluationKey oddKey = new EvaluationKey("nb201", "a", SETTINGS, 7);
        EvaluationKey plainKey = new EvaluationKey("nb201", "b", SETTINGS, 7);
        try (EvaluationStore store = EvaluationStore.open(file)) {
            store.put(oddKey, odd, "cpu");
            store.put(plainKey, plain, "cpu");
        }
        try (EvaluationStore store = EvaluationStore.open(file)) {
            Score back = store.find(oddKey).orElseThrow();
            assertTrue(Double.isNaN(back.value(MetricKind.NTK).orElseThrow()));
            assertEquals(Double.NEGATIVE_INFINITY, back.value(MetricKind.NASWOT).orElseThrow());
            assertTrue(back.value(MetricKind.LINEAR_REGIONS).isEmpty());
            assertEquals(odd.flags(), back.flags());
            assertEquals(plain, store.find(plainKey).orElseThrow());
            assertEquals(Optional.empty(), store.find(new EvaluationKey("nb201", "a", SETTINGS, 8)));
            assertEquals(Optional.empty(), store.find(new EvaluationKey("nb201", "a", "other", 7)));
            assertEquals(Map.of("a", back, "b", plain).keySet(), store.findAll("nb201", SETTINGS, 7).keySet());
        }
    }

    @Test
    void sweepsAreCountedPerSpaceSettingsAndSeedInOrder() {
        Score score = new Score(Map.of(MetricKind.LINEAR_REGIONS, 3.0), 0, 0.5);
        try (EvaluationStore store = EvaluationStore.open(dir.resolve("store.sqlite"))) {
            assertEquals(List.of(), store.sweeps());
            for (String architecture : List.of("a", "b", "c")) {
                store.put(new EvaluationKey("nb201", architecture, SETTINGS, 7), score, "cpu");
            }
            store.put(new EvaluationKey("nb201", "a", SETTINGS, 2), score, "cpu");
            store.put(new EvaluationKey("nb201", "a", "other", 7), score, "cpu");
            store.put(new EvaluationKey("darts", "a", SETTINGS, 7), score, "cpu");
            assertEquals(List.of(new EvaluationStore.Sweep("darts", SETTINGS, 7, 1),
                    new EvaluationStore.Sweep("nb201", SETTINGS, 2, 1),
                    new EvaluationStore.Sweep("nb201", SETTINGS, 7, 3),
                    new EvaluationStore.Sweep("nb201", "other", 7, 1)), store.sweeps());
        }
    }

    @Test
    void aReopenedSweepComputesOnlyTheMissingCells() {
        Path file = dir.resolve("store.sqlite");
        List<Nb201Architecture> cells = new ArrayList<>();
        for (int ordinal = 100; ordinal < 110; ordinal++) {
            cells.add(Nb201Architecture.fromOrdinal(ordinal));
        }
        AtomicInteger calls = new AtomicInteger();
        List<Nb201Architecture> asked = new ArrayList<>();
        try (EvaluationStore store = EvaluationStore.open(file)) {
            ResumableSweep sweep = new ResumableSweep(store, "nb201", SETTINGS, 3, "test");
            ResumableSweep.Summary first = sweep.run(cells.subList(0, 4), fakeScorer(calls, asked), (a, s, f, d, t) -> {
            });
            assertEquals(new ResumableSweep.Summary(0, 4), first);
        }
        asked.clear();
        List<Score> scores = new ArrayList<>();
        List<Boolean> fromStore = new ArrayList<>();
        try (EvaluationStore store = EvaluationStore.open(file)) {
            ResumableSweep sweep = new ResumableSweep(store, "nb201", SETTINGS, 3, "test");
            ResumableSweep.Summary second = sweep.run(cells, fakeScorer(calls, asked), (a, s, f, d, t) -> {
                scores.add(s);
                fromStore.add(f);
            });
            assertEquals(new ResumableSweep.Summary(4, 6), second);
        }
        assertEquals(10, calls.get());
        assertEquals(cells.subList(4, 10), asked);
        for (int i = 0; i < cells.size(); i++) {
            assertEquals(i < 4, fromStore.get(i));
            assertEquals(cells.get(i).ordinal(), scores.get(i).value(MetricKind.NTK).orElseThrow());
        }
    }

    /** Three workers: every missing cell computed once (a repeated cell too), rows reported in list order. */
    @Test
    void workersComputeEachCellOnceAndReportInListOrder() {
        List<Nb201Architecture> cells = new ArrayList<>();
        for (int ordinal = 200; ordinal < 240; ordinal++) {
            cells.add(Nb201Architecture.fromOrdinal(ordinal));
        }
        cells.add(cells.get(7));
        AtomicInteger calls = new AtomicInteger();
        List<Nb201Architecture> asked = Collections.synchronizedList(new ArrayList<>());
        List<Nb201Architecture> reported = new ArrayList<>();
        List<Boolean> fromStore = new ArrayList<>();
        try (EvaluationStore store = EvaluationStore.open(dir.resolve("workers.sqlite"))) {
            ResumableSweep sweep = new ResumableSweep(store, "nb201", SETTINGS, 3, "test");
            ResumableSweep.Summary summary = sweep.run(cells, List.of(fakeScorer(calls, asked),
                    fakeScorer(calls, asked), fakeScorer(calls, asked)), (a, s, f, d, t) -> {
                        assertEquals(a.ordinal(), s.value(MetricKind.NTK).orElseThrow());
                        assertEquals(reported.size() + 1, d);
                        reported.add(a);
                        fromStore.add(f);
                    });
            assertEquals(new ResumableSweep.Summary(1, 40), summary);
            assertEquals(41, store.findAll("nb201", SETTINGS, 3).size() + 1);
        }
        assertEquals(40, calls.get());
        assertEquals(cells, reported);
        assertEquals(List.of(true), fromStore.subList(40, 41), "the repeated cell is in the store by then");
    }

    /**
     * A failing cell ends the sweep with its error, and only after every worker has stopped (their engines are
     * closed next); the cells finished before it stay stored.
     */
    @Test
    void aFailingCellStopsTheSweepAfterEveryWorkerHasStopped() {
        List<Nb201Architecture> cells = new ArrayList<>();
        for (int ordinal = 300; ordinal < 330; ordinal++) {
            cells.add(Nb201Architecture.fromOrdinal(ordinal));
        }
        AtomicInteger running = new AtomicInteger();
        ArchitectureScorer slow = (architecture, seed) -> {
            running.incrementAndGet();
            try {
                Thread.sleep(20);
                if (architecture.ordinal() == 310) {
                    throw new IllegalStateException("cell 310 failed");
                }
                return new Score(Map.of(MetricKind.NTK, (double) architecture.ordinal()), 0, 0.02);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        };
        try (EvaluationStore store = EvaluationStore.open(dir.resolve("failing.sqlite"))) {
            ResumableSweep sweep = new ResumableSweep(store, "nb201", SETTINGS, 3, "test");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sweep.run(cells, List.of(slow, slow, slow), (a, s, f, d, t) -> { }));
            assertEquals("cell 310 failed", e.getMessage());
            assertEquals(0, running.get(), "a worker was still scoring when the sweep returned");
            assertTrue(store.findAll("nb201", SETTINGS, 3).size() >= 10 - 3);
        }
    }

    /** A scorer whose κ is the cell's ordinal, counting its calls. */
    private static ArchitectureScorer fakeScorer(AtomicInteger calls, List<Nb201Architecture> asked) {
        return (architecture, seed) -> {
            calls.incrementAndGet();
            asked.add(architecture);
            return new Score(Map.of(MetricKind.NTK, (double) architecture.ordinal()), 0, 0.001);
        };
    }
}
