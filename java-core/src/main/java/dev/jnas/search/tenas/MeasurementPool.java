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

    /**
     * Draws weights and inputs (see {@link SupernetMetrics#draw}) on every worker, then measures every mask;
     * progress gets the number of finished measurements.
     *
     * @return the measurements in mask order
     */
    List<SupernetMetrics.Measurement> measure(long weightSeed, long inputSeed, List<OpMask> masks,
                                              IntConsumer progress) {
        AtomicInteger done = new AtomicInteger();
        return sideBySide.map(masks, worker -> {
            worker.draw(weightSeed, inputSeed);
            return worker::measure;
        }, (index, measurement) -> progress.accept(done.incrementAndGet()));
    }

    @Override
    public void close() {
        sideBySide.close();
        workers.forEach(SupernetMetrics::close);
    }
}
