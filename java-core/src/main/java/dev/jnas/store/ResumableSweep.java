package dev.jnas.store;

import dev.jnas.metrics.ArchitectureScorer;
import dev.jnas.metrics.Score;
import dev.jnas.space.nb201.Nb201Architecture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scores a list of architectures through an {@link EvaluationStore}: what the store already holds for the
 * (space, settings, seed) is taken from it, everything else is computed and stored as soon as it is finished.
 * A killed sweep, run again, therefore recomputes only the cells that were not finished.
 *
 * <p>Cells are computed side by side, one worker thread per scorer (each scorer owns its engine); only the
 * calling thread touches the store and the listener, which hears about the cells in list order. A cell's score
 * depends only on (cell, seed, settings), so the rows are the same for any number of scorers.
 */
public final class ResumableSweep {
    /** Hears about every cell, in the order of the list. */
    public interface Listener {
        /**
         * @param fromStore whether the score was read from the store rather than computed now
         * @param done      cells finished so far, this one included
         */
        void onScore(Nb201Architecture architecture, Score score, boolean fromStore, int done, int total);
    }

    /** How a sweep went. */
    public record Summary(int fromStore, int computed) {
    }

    private final EvaluationStore store;
    private final String space;
    private final String settings;
    private final long seed;
    private final String backend;

    /**
     * @param space    the space name in the keys, e.g. "nb201"
     * @param settings the canonical settings text in the keys
     * @param backend  recorded with each computed row, for provenance only
     */
    public ResumableSweep(EvaluationStore store, String space, String settings, long seed, String backend) {
        this.store = Objects.requireNonNull(store, "store");
        this.space = Objects.requireNonNull(space, "space");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    public Summary run(List<Nb201Architecture> architectures, ArchitectureScorer scorer, Listener listener) {
        return run(architectures, List.of(scorer), listener);
    }

    /** @param scorers one per worker; each is used by one thread only */
    public Summary run(List<Nb201Architecture> architectures, List<ArchitectureScorer> scorers, Listener listener) {
        if (scorers.isEmpty()) {
            throw new IllegalArgumentException("no scorers");
        }
        Map<String, Score> known = store.findAll(space, settings, seed);
        // Each missing cell once, in list order (a list may name a cell twice).
        List<Nb201Architecture> missing = architectures.stream().filter(a -> !known.containsKey(a.toString()))
                .distinct().toList();
        BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(scorers.size(), Math.max(1, missing.size())),
                task -> {
                    Thread thread = new Thread(task, "jnas-sweep-worker");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            for (ArchitectureScorer scorer : scorers.subList(0, Math.min(scorers.size(), missing.size()))) {
                workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < missing.size() && !Thread.currentThread().isInterrupted();
                         i = next.getAndIncrement()) {
                        Nb201Architecture architecture = missing.get(i);
                        try {
                            finished.add(new Finished(architecture, scorer.score(architecture, seed), null));
                        } catch (RuntimeException | Error e) {
                            finished.add(new Finished(architecture, null, e));
                            return;
                        }
                    }
                });
            }
            Map<String, Score> computedNow = new HashMap<>();
            int fromStore = 0;
            int computed = 0;
            for (Nb201Architecture architecture : architectures) {
                String name = architecture.toString();
                Score score = known.get(name);
                boolean cached = score != null;
                if (score == null) {
                    score = computedNow.get(name);
                }
                while (score == null) {
                    storeNext(finished, computedNow);
                    score = computedNow.get(name);
                }
                if (cached) {
                    fromStore++;
                } else {
                    computed++;
                    known.put(name, score); // a later mention of the same cell finds it in the store
                }
                listener.onScore(architecture, score, cached, fromStore + computed, architectures.size());
            }
            return new Summary(fromStore, computed);
        } finally {
            stopAndWait(workers);
        }
    }

    /**
     * Stops the workers taking cells and waits for the ones still scoring: returning while a worker runs would
     * let the caller close the engines under it.
     */
    private static void stopAndWait(ExecutorService workers) {
        workers.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (workers.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes the next finished cell (whatever its place in the list), stores it, and records it in computed. */
    private void storeNext(BlockingQueue<Finished> finished, Map<String, Score> computed) {
        Finished cell;
        try {
            cell = finished.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a cell's score", e);
        }
        if (cell.failure instanceof RuntimeException e) {
            throw e;
        }
        if (cell.failure instanceof Error e) {
            throw e;
        }
        String name = cell.architecture.toString();
        store.put(new EvaluationKey(space, name, settings, seed), cell.score, backend);
        computed.put(name, cell.score);
    }

    private record Finished(Nb201Architecture architecture, Score score, Throwable failure) {
    }
}
