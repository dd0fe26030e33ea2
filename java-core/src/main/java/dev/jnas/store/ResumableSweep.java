package dev.jnas.store;

import dev.jnas.metrics.ArchitectureScorer;
import dev.jnas.metrics.Score;
import dev.jnas.metrics.SideBySide;
import dev.jnas.space.nb201.Nb201Architecture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a list of architectures through an {@link EvaluationStore}: what the store already holds for the
 * (space, settings, seed) is taken from it, everything else is computed and stored as soon as it is finished.
 * A killed sweep, run again, therefore recomputes only the cells that were not finished.
 *
 * <p>Cells are computed {@link SideBySide side by side}, one worker per scorer (each scorer owns its engine);
 * only the calling thread touches the store and the listener, which hears about the cells in list order. A
 * cell's score depends only on (cell, seed, settings), so the rows are the same for any number of scorers.
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
        Map<String, Score> known = store.findAll(space, settings, seed);
        // Each missing cell once, in list order (a list may name a cell twice).
        List<Nb201Architecture> missing = architectures.stream().filter(a -> !known.containsKey(a.toString()))
                .distinct().toList();
        try (SideBySide<ArchitectureScorer> workers = new SideBySide<>(scorers, "jnas-sweep-worker")) {
            ListOrder report = new ListOrder(architectures, known, listener);
            report.ready();
            workers.map(missing, scorer -> cell -> scorer.score(cell, seed), (index, score) -> {
                String name = missing.get(index).toString();
                store.put(new EvaluationKey(space, name, settings, seed), score, backend);
                report.computed(name, score);
            });
            return new Summary(report.fromStore, report.computed);
        }
    }

    /** Tells the listener about the cells in list order, each as soon as it and the cells before it are known. */
    private static final class ListOrder {
        private final List<Nb201Architecture> architectures;
        /** The store's scores; a computed cell joins them once reported, so a later mention is from the store. */
        private final Map<String, Score> stored;
        private final Map<String, Score> computedNow = new HashMap<>();
        private final Listener listener;
        private int fromStore;
        private int computed;

        ListOrder(List<Nb201Architecture> architectures, Map<String, Score> stored, Listener listener) {
            this.architectures = architectures;
            this.stored = stored;
            this.listener = listener;
        }

        void computed(String name, Score score) {
            computedNow.put(name, score);
            ready();
        }

        /** Reports the cells from the first unreported one up to the first not yet computed. */
        void ready() {
            while (fromStore + computed < architectures.size()) {
                Nb201Architecture architecture = architectures.get(fromStore + computed);
                String name = architecture.toString();
                Score score = stored.get(name);
                boolean cached = score != null;
                if (cached) {
                    fromStore++;
                } else {
                    score = computedNow.remove(name);
                    if (score == null) {
                        return;
                    }
                    computed++;
                    stored.put(name, score);
                }
                listener.onScore(architecture, score, cached, fromStore + computed, architectures.size());
            }
        }
    }
}
