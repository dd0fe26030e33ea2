package dev.jnas.metrics;

/**
 * Independent seeds for every random draw of a score, derived from (seed, repeat, stream) alone. Each draw
 * therefore depends only on what it is for, never on which other metrics, architectures or repeats were
 * computed before it: scoring a cell alone or in a sweep, resumed or not, gives the same numbers.
 */
public final class SeedStreams {
    /** What a seed is for. */
    public enum Stream {
        KAPPA_WEIGHTS, KAPPA_BATCH, REGION_WEIGHTS, REGION_PATCHES,
        /** A pruning search's round: its draws derive from this seed with the round as the repeat. */
        SEARCH_ROUND,
        /** SGNAS, per epoch (the repeat): the supernet's data order and sampled paths. */
        SUPERNET_ORDER, SUPERNET_PATHS,
        /** SGNAS, per generator epoch: data order, target order and Gumbel noise; and the prior pool's draws. */
        GENERATOR_ORDER, GENERATOR_TARGETS, GENERATOR_GUMBEL, PRIOR_POOL,
        /** BayesNAS: the supernet's init, the initial (γ, ω) draws, and per epoch (the repeat) each split's order. */
        BAYES_INIT, BAYES_PRIORS, BAYES_WEIGHT_ORDER, BAYES_SWITCH_ORDER,
        /** BayesNAS compression: the nets' init, the initial (γ, ω) draws, and per epoch (the repeat) the order. */
        COMPRESS_INIT, COMPRESS_PRIORS, COMPRESS_ORDER,
        /** αNAS, per generation (the repeat): the parent's selection, the child's proposal, and its fitness. */
        ALPHANAS_SELECTION, ALPHANAS_PROPOSAL, ALPHANAS_FITNESS
    }

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SeedStreams() {
    }

    public static long derive(long seed, int repeat, Stream stream) {
        long h = mix(seed + GOLDEN_GAMMA);
        h = mix(h + GOLDEN_GAMMA * (repeat + 1L));
        return mix(h + GOLDEN_GAMMA * (stream.ordinal() + 1L));
    }

    /** SplitMix64's finalizer: a bijection that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
