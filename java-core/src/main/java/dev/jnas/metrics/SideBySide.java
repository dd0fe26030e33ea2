package dev.jnas.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A list of items measured side by side by workers that each own engine-bound state (a context is used by one
 * thread at a time): one thread per worker takes the next item until none is left. On a small CPU this beats
 * splitting each small network's kernels over threads, whose many short parallel regions mostly wait. Results
 * are kept in item order, so when an item's result depends only on the item they are the same bits for any
 * number of workers.
 *
 * <p>{@link #map} returns only after every worker has stopped: returning while one still runs would let the
 * caller free native memory under it. So the first failure (of a worker, or of the caller's callback) stops the
 * workers taking items and is rethrown once they have all stopped, and an interrupt of the calling thread is
 * deferred: the map runs to its end and returns with the thread's interrupt status set.
 *
 * <p>The threads live as long as this object, so that per-thread native state (e.g. an OpenMP team) is kept
 * from one map to the next.
 *
 * @param <W> a worker, used by one thread at a time
 */
public final class SideBySide<W> implements AutoCloseable {
    /**
     * Readies a worker for one map, on the worker's thread (e.g. draws its weights), and gives what it makes of
     * each item it takes.
     */
    @FunctionalInterface
    public interface Job<W, I, R> {
        Function<I, R> start(W worker);
    }

    /** Hears about each finished item on the calling thread, in the order the items finish. */
    @FunctionalInterface
    public interface Finished<R> {
        void accept(int index, R result);
    }

    private final List<W> workers;
    private final ExecutorService threads;

    /** @param threadName the name of the workers' threads, e.g. in a thread dump */
    public SideBySide(List<W> workers, String threadName) {
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("no workers for the " + threadName + " threads");
        }
        this.workers = List.copyOf(workers);
        this.threads = Executors.newFixedThreadPool(workers.size(), task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** {@link #map(List, Job, Finished)} without a callback. */
    public <I, R> List<R> map(List<I> items, Job<? super W, ? super I, ? extends R> job) {
        return map(items, job, (index, result) -> { });
    }

    /**
     * Every item through the job of the next free worker.
     *
     * @param finished hears about the items that finish before the first failure, one at a time
     * @return the results in item order
     */
    public <I, R> List<R> map(List<I> items, Job<? super W, ? super I, ? extends R> job,
                              Finished<? super R> finished) {
        if (threads.isShutdown()) {
            throw new IllegalStateException("map after close");
        }
        BlockingQueue<Report<R>> reports = new LinkedBlockingQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        for (W worker : workers) {
            threads.execute(() -> {
                try {
                    Function<? super I, ? extends R> work = job.start(worker);
                    for (int i = next.getAndIncrement(); i < items.size() && !failed.get();
                         i = next.getAndIncrement()) {
                        reports.add(new Report.Result<>(i, work.apply(items.get(i))));
                    }
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    reports.add(new Report.Failure<>(e));
                } finally {
                    reports.add(new Report.Stopped<>());
                }
            });
        }
        List<R> results = new ArrayList<>(Collections.nCopies(items.size(), null));
        Throwable first = null;
        boolean interrupted = false;
        for (int running = workers.size(); running > 0; ) {
            Report<R> report;
            try {
                report = reports.take();
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: the workers use native memory the caller frees next
                continue;
            }
            switch (report) {
                case Report.Stopped<R> stopped -> running--;
                case Report.Failure<R> failure -> first = first == null ? failure.cause() : first;
                case Report.Result<R> result -> {
                    results.set(result.index(), result.value());
                    if (first == null) {
                        try {
                            finished.accept(result.index(), result.value());
                        } catch (RuntimeException | Error e) {
                            failed.set(true);
                            first = e;
                        }
                    }
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
        return Collections.unmodifiableList(results);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** What a worker tells the calling thread. */
    private sealed interface Report<R> {
        record Result<R>(int index, R value) implements Report<R> {
        }

        record Failure<R>(Throwable cause) implements Report<R> {
        }

        /** The worker takes no more items and no longer uses its state. */
        record Stopped<R>() implements Report<R> {
        }
    }
}
