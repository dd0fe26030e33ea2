package dev.jnas.store;

import dev.jnas.metrics.ArchitectureScorer;
import dev.jnas.metrics.Score;
import dev.jnas.space.nb201.Nb201Architecture;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a list of architectures through an {@link EvaluationStore}: what the store already holds for the
 * (space, settings, seed) is taken from it, everything else is computed and stored as soon as it is finished.
 * A killed sweep, run again, therefore recomputes only the cells that were not finished.
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
        Map<String, Score> stored = store.findAll(space, settings, seed);
        int fromStore = 0;
        int computed = 0;
        for (Nb201Architecture architecture : architectures) {
            String name = architecture.toString();
            Score score = stored.get(name);
            boolean cached = score != null;
            if (cached) {
                fromStore++;
            } else {
                score = scorer.score(architecture, seed);
                store.put(new EvaluationKey(space, name, settings, seed), score, backend);
                // A list may name a cell twice; the second time it is in the store.
                stored.put(name, score);
                computed++;
            }
            listener.onScore(architecture, score, cached, fromStore + computed, architectures.size());
        }
        return new Summary(fromStore, computed);
    }
}
