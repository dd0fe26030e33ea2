package dev.jnas.search.tenas;

import dev.jnas.bindings.Engine;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeData;
import dev.jnas.metrics.SideBySide;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * One {@link SupernetMetrics} per engine, measuring the masks of a round {@link SideBySide side by side}. Every
 * worker draws the same weights and inputs, and a measurement depends only on (draw, mask), so the results are
 * the same bits for any number of workers.
 */
final class MeasurementPool implements AutoCloseable {
    private final List<SupernetMetrics> workers;
    private final SideBySide<SupernetMetrics> sideBySide;

    private MeasurementPool(List<SupernetMetrics> workers) {
        this.workers = workers;
        this.sideBySide = new SideBySide<>(workers, "jnas-tenas-worker");
    }

    static MeasurementPool open(List<Engine> engines, PruningSpace space, MetricSettings settings, ProbeData data) {
        List<SupernetMetrics> workers = new ArrayList<>();
        try {
            for (Engine engine : engines) {
                workers.add(SupernetMetrics.open(engine, space, settings, data));
            }
            return new MeasurementPool(workers);
        } catch (RuntimeException e) {
            workers.forEach(SupernetMetrics::close);
            throw e;
        }
    }

    /** The seeds of one {@link SupernetMetrics#draw} of weights and inputs. */
    record Draw(long weightSeed, long inputSeed) {
    }

    /**
     * Measures every mask on every draw, all in one side-by-side run: a worker draws again when its next
     * measurement is of another draw, so the workers wait for the last measurement once, not once per draw.
     * progress gets the number of finished measurements.
     *
     * @return per draw, the measurements in mask order
     */
    List<List<SupernetMetrics.Measurement>> measure(List<Draw> draws, List<OpMask> masks, IntConsumer progress) {
        List<int[]> items = new ArrayList<>(); // {draw, mask}, draw by draw
        for (int d = 0; d < draws.size(); d++) {
            for (int m = 0; m < masks.size(); m++) {
                items.add(new int[] {d, m});
            }
        }
        AtomicInteger done = new AtomicInteger();
        List<SupernetMetrics.Measurement> all = sideBySide.map(items, worker -> {
            int[] drawn = {-1};
            return item -> {
                if (item[0] != drawn[0]) {
                    Draw draw = draws.get(item[0]);
                    worker.draw(draw.weightSeed(), draw.inputSeed());
                    drawn[0] = item[0];
                }
                return worker.measure(masks.get(item[1]));
            };
        }, (index, measurement) -> progress.accept(done.incrementAndGet()));
        List<List<SupernetMetrics.Measurement>> byDraw = new ArrayList<>();
        for (int d = 0; d < draws.size(); d++) {
            byDraw.add(all.subList(d * masks.size(), (d + 1) * masks.size()));
        }
        return byDraw;
    }

    @Override
    public void close() {
        sideBySide.close();
        workers.forEach(SupernetMetrics::close);
    }
}
