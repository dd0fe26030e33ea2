package dev.jnas.search.tenas;

import dev.jnas.metrics.MetricSettings;
import java.util.Objects;

/**
 * Everything besides the seed that a TE-NAS search's result depends on. {@link #key()} is its canonical text,
 * the store's key for the search's checkpoints.
 *
 * @param metrics     how κ and the linear regions are measured (batch, repeats, init, BN coupling, data)
 * @param draws       what changes between repeats
 * @param pruneNumber ops pruned per edge per round
 */
public record TenasSettings(MetricSettings metrics, RepeatDraws draws, int pruneNumber) {
    public TenasSettings {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(draws, "draws");
        if (pruneNumber < 1) {
            throw new IllegalArgumentException("the prune number must be at least 1, got " + pruneNumber);
        }
    }

    public String key() {
        return "prune=" + pruneNumber + ";repeat-draws=" + draws.optionName() + ";" + metrics.key();
    }
}
