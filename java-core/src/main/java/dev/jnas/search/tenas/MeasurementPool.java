package dev.jnas.search.tenas;

import dev.jnas.bindings.Engine;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * One {@link SupernetMetrics} per engine, measuring the masks of a round side by side: each worker thread owns
 * its engine (a context is used by one thread at a time) and takes the next unmeasured mask until none is left.
 * Every worker draws the same weights and inputs, and a measurement depends only on (draw, mask), so the
 * results — kept in mask order — are the same bits for any number of workers. On a small CPU this beats
 * splitting each tiny network's kernels over threads, whose many short parallel regions mostly wait.
 */
final class MeasurementPool implements AutoCloseable {
    private final List<SupernetMetrics> workers;
    private final ExecutorService executor;

    private MeasurementPool(List<SupernetMetrics> workers) {
        this.workers = workers;
        this.executor = workers.size() > 1 ? Executors.newFixedThreadPool(workers.size(), task -> {
            Thread thread = new Thread(task, "jnas-tenas-worker");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    static MeasurementPool open(List<Engine> engines, PruningSpace space, MetricSettings settings, ProbeData data) {
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("no engines to measure with");
        }
        List<SupernetMetrics> workers = new ArrayList<>();
        try {
            for (Engine engine : engines) {
                workers.add(SupernetMetrics.open(engine, space, settings, data));
            }
        } catch (RuntimeException e) {
            workers.forEach(SupernetMetrics::close);
            throw e;
        }
        return new MeasurementPool(workers);
    }

    /**
     * Draws weights and inputs (see {@link SupernetMetrics#draw}) on every worker, then measures every mask;
     * progress gets the number of finished measurements, from one thread at a time.
     */
    List<SupernetMetrics.Measurement> measure(long weightSeed, long inputSeed, List<OpMask> masks,
                                              IntConsumer progress) {
        SupernetMetrics.Measurement[] results = new SupernetMetrics.Measurement[masks.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<?>> running = new ArrayList<>();
        for (SupernetMetrics worker : workers) {
            Runnable task = () -> {
                try {
                    worker.draw(weightSeed, inputSeed);
                    for (int i = next.getAndIncrement(); i < results.length && !failed.get();
                         i = next.getAndIncrement()) {
                        results[i] = worker.measure(masks.get(i));
                        synchronized (progress) {
                            progress.accept(done.incrementAndGet());
                        }
                    }
                } catch (RuntimeException | Error e) {
                    failed.set(true); // the other workers stop taking masks
                    throw e;
                }
            };
            if (executor == null) {
                task.run();
            } else {
                running.add(executor.submit(task));
            }
        }
        awaitAll(running);
        return List.of(results);
    }

    /**
     * Waits for every task, then rethrows the first failure: returning while a worker still runs would let the
     * caller close the nets under it.
     */
    private static void awaitAll(List<Future<?>> running) {
        Throwable first = null;
        boolean interrupted = false;
        for (Future<?> task : running) {
            while (true) {
                try {
                    task.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: the workers use native memory we are about to free
                } catch (ExecutionException e) {
                    first = first == null ? e.getCause() : first;
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        workers.forEach(SupernetMetrics::close);
    }
}
