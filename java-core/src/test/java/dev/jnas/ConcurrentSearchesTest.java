package dev.jnas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.metrics.GaussianProbeData;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeDataSets;
import dev.jnas.metrics.TrainingFreeScorer;
import dev.jnas.search.tenas.RepeatDraws;
import dev.jnas.search.tenas.RoundCheckpoints;
import dev.jnas.search.tenas.TenasPruner;
import dev.jnas.search.tenas.TenasSettings;
import dev.jnas.space.nb201.Nb201Architecture;
import dev.jnas.space.nb201.Nb201PruningSpace;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two searches on two threads, each on its own engine (its own libjnas context), give the same bits as each run
 * alone: nothing native or in Java is shared between contexts in a way that changes results.
 */
class ConcurrentSearchesTest {
    @Test
    void twoTenasSearchesSideBySideAreEachTheSearchRunAlone() throws Exception {
        TenasSettings settings = new TenasSettings(new MetricSettings(EnumSet.of(MetricKind.NTK,
                MetricKind.LINEAR_REGIONS), 8, 1, InitScheme.PYTORCH_DEFAULT, BnCoupling.FROZEN,
                GaussianProbeData.KEY), RepeatDraws.FRESH, 1);
        assertAloneEqualsTogether(tenas(settings, 3), tenas(settings, 4));
    }

    /** Two sweeps of every metric over different cells, each engine on two threads (four OpenMP threads). */
    @Test
    void twoScoreSweepsSideBySideAreEachTheSweepRunAlone() throws Exception {
        MetricSettings settings = new MetricSettings(EnumSet.allOf(MetricKind.class), 8, 1,
                InitScheme.PYTORCH_DEFAULT, BnCoupling.EXACT, GaussianProbeData.KEY);
        assertAloneEqualsTogether(sweep(settings, 100), sweep(settings, 9000));
    }

    private static Callable<List<Object>> tenas(TenasSettings settings, long seed) {
        return () -> {
            try (Engine engine = Engine.open(Backend.CPU)) {
                engine.setThreads(1);
                return ResultBits.of(new TenasPruner(new Nb201PruningSpace(), settings, seed).run(List.of(engine),
                        ProbeDataSets.load(GaussianProbeData.KEY), RoundCheckpoints.NONE,
                        new TenasPruner.Listener() { }));
            }
        };
    }

    /** Six cells from the given ordinal on, at seed 5: every score's bits in order. */
    private static Callable<List<Object>> sweep(MetricSettings settings, int firstOrdinal) {
        return () -> {
            try (Engine engine = Engine.open(Backend.CPU)) {
                engine.setThreads(2);
                TrainingFreeScorer scorer = new TrainingFreeScorer(engine, settings, new GaussianProbeData());
                List<Object> bits = new ArrayList<>();
                for (int ordinal = firstOrdinal; ordinal < firstOrdinal + 6 * 97; ordinal += 97) {
                    bits.add(ResultBits.of(scorer.score(Nb201Architecture.fromOrdinal(ordinal), 5)));
                }
                return bits;
            }
        };
    }

    /** Each task alone, then both together on two threads released at once: the same results. */
    private static void assertAloneEqualsTogether(Callable<List<Object>> first, Callable<List<Object>> second)
            throws Exception {
        List<Object> firstAlone = first.call();
        List<Object> secondAlone = second.call();
        assertNotEquals(firstAlone, secondAlone, "the two tasks must differ for a mix-up to show");
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<Object>> firstTogether = threads.submit(() -> {
                start.await();
                return first.call();
            });
            Future<List<Object>> secondTogether = threads.submit(() -> {
                start.await();
                return second.call();
            });
            assertEquals(firstAlone, firstTogether.get(), "the first task beside the second");
            assertEquals(secondAlone, secondTogether.get(), "the second task beside the first");
        } finally {
            threads.shutdownNow();
        }
    }
}
