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
 * worker draws the same weights and inputs, and a measurement depends only on (draw, mask) and the fixed cut of
 * the masks into calls of candidatesPerCall, so the results are the same bits for any number of workers.
 */
final class MeasurementPool implements AutoCloseable {
    private final List<SupernetMetrics> workers;
    private final SideBySide<SupernetMetrics> sideBySide;

    private final int candidatesPerCall;

    private MeasurementPool(List<SupernetMetrics> workers, int candidatesPerCall) {
        this.workers = workers;
        this.candidatesPerCall = candidatesPerCall;
        this.sideBySide = new SideBySide<>(workers, "jnas-tenas-worker");
    }

    static MeasurementPool open(List<Engine> engines, PruningSpace space, MetricSettings settings, ProbeData data,
                                int candidatesPerCall) {
        List<SupernetMetrics> workers = new ArrayList<>();
        try {
            for (Engine engine : engines) {
                workers.add(SupernetMetrics.open(engine, space, settings, data, candidatesPerCall));
            }
            return new MeasurementPool(workers, candidatesPerCall);
        } catch (RuntimeException e) {
            workers.forEach(SupernetMetrics::close);
            throw e;
        }
    }

    /** The seeds of one {@link SupernetMetrics#draw} of weights and inputs. */
    record Draw(long weightSeed, long inputSeed) {
    }

    /**
     * Measures every mask on every draw, all in one side-by-side run: a worker draws again when its next call is
     * of another draw, so the workers wait for the last call once, not once per draw. Each call measures up to
     * candidatesPerCall consecutive masks of one draw. progress gets the number of finished measurements.
     *
     * @return per draw, the measurements in mask order
     */
    List<List<SupernetMetrics.Measurement>> measure(List<Draw> draws, List<OpMask> masks, IntConsumer progress) {
        // {draw, first mask, end}, draw by draw; the calls of a draw as even as can be (25 masks at 8 per call:
        // 7, 6, 6, 6), so that they reuse one another's buffers.
        int callsPerDraw = (masks.size() + candidatesPerCall - 1) / candidatesPerCall;
        List<int[]> calls = new ArrayList<>();
        for (int d = 0; d < draws.size(); d++) {
            for (int c = 0; c < callsPerDraw; c++) {
                calls.add(new int[] {d, masks.size() * c / callsPerDraw, masks.size() * (c + 1) / callsPerDraw});
            }
        }
        AtomicInteger done = new AtomicInteger();
        List<List<SupernetMetrics.Measurement>> all = sideBySide.map(calls, worker -> {
            int[] drawn = {-1};
            return call -> {
                if (call[0] != drawn[0]) {
                    Draw draw = draws.get(call[0]);
                    worker.draw(draw.weightSeed(), draw.inputSeed());
                    drawn[0] = call[0];
                }
                return worker.measure(masks.subList(call[1], call[2]));
            };
        }, (index, measured) -> progress.accept(done.addAndGet(measured.size())));
        List<List<SupernetMetrics.Measurement>> byDraw = new ArrayList<>();
        for (int d = 0; d < draws.size(); d++) {
            byDraw.add(new ArrayList<>());
        }
        for (int c = 0; c < calls.size(); c++) {
            byDraw.get(calls.get(c)[0]).addAll(all.get(c));
        }
        return byDraw;
    }

    @Override
    public void close() {
        sideBySide.close();
        workers.forEach(SupernetMetrics::close);
    }
}
