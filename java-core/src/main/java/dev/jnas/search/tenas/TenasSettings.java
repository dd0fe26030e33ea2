package dev.jnas.search.tenas;

import dev.jnas.bindings.BnCoupling;
import dev.jnas.metrics.MetricSettings;
import java.util.Objects;

/**
 * Everything besides the seed that a TE-NAS search's result depends on. {@link #key()} is its canonical text,
 * the store's key for the search's checkpoints.
 *
 * @param metrics     how κ and the linear regions are measured (batch, repeats, init, BN coupling, data)
 * @param draws       what changes between repeats
 * @param pruneNumber ops pruned per edge per round
 * @param candidatesPerCall batched candidates: the most masks measured in one call of the engine, as sample
 *                    groups of one batch (1: one by one). Above 1, frozen coupling only: exact coupling's walk
 *                    differentiates each group's statistics, so batching would cost the groups' count times more.
 *                    Part of the key when above 1, since another cut of the masks sums in another order.
 */
public record TenasSettings(MetricSettings metrics, RepeatDraws draws, int pruneNumber, int candidatesPerCall) {
    public TenasSettings {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(draws, "draws");
        if (pruneNumber < 1) {
            throw new IllegalArgumentException("the prune number must be at least 1, got " + pruneNumber);
        }
        if (candidatesPerCall < 1) {
            throw new IllegalArgumentException("candidates per call must be at least 1, got " + candidatesPerCall);
        }
        if (candidatesPerCall > 1 && metrics.coupling() != BnCoupling.FROZEN) {
            throw new IllegalArgumentException("batched candidates (" + candidatesPerCall + " per call) need frozen "
                    + "batch-norm coupling; exact coupling measures them one by one");
        }
    }

    /** One candidate per call. */
    public TenasSettings(MetricSettings metrics, RepeatDraws draws, int pruneNumber) {
        this(metrics, draws, pruneNumber, 1);
    }

    public String key() {
        return "prune=" + pruneNumber + ";repeat-draws=" + draws.optionName() + ";" + metrics.key()
                + (candidatesPerCall > 1 ? ";candidates-per-call=" + candidatesPerCall : "");
    }
}
