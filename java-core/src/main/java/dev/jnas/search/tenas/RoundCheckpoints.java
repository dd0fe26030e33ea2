package dev.jnas.search.tenas;

import java.util.List;

/** Where a search keeps its finished rounds, so that a killed search resumes at the last one. */
public interface RoundCheckpoints {
    /** The finished rounds of this search, in order (empty for a new search). */
    List<RoundResult> finished();

    /** Keeps a finished round durably before the search goes on. */
    void save(RoundResult round);

    /** For tests and one-off runs: keeps nothing. */
    RoundCheckpoints NONE = new RoundCheckpoints() {
        @Override
        public List<RoundResult> finished() {
            return List.of();
        }

        @Override
        public void save(RoundResult round) {
        }
    };
}
