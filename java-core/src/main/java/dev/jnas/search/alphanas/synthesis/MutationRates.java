package dev.jnas.search.alphanas.synthesis;

/**
 * How strongly each property of a selected subgraph is relaxed before synthesis: the p each property's mutate
 * takes. The reference never relaxes shapes (they are a hard constraint) and relaxes mixing and depth with
 * p = 0.5 on CIFAR-10 (0.8 on ImageNet).
 */
public record MutationRates(double shape, double mixing, double depth) {

    public MutationRates {
        requireProbability(shape, "shape");
        requireProbability(mixing, "mixing");
        requireProbability(depth, "depth");
    }

    /** The reference's CIFAR-10 rates: shape 0, mixing 0.5, depth 0.5. */
    public static MutationRates cifar() {
        return new MutationRates(0, 0.5, 0.5);
    }

    private static void requireProbability(double p, String property) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("the " + property + " mutation rate is a probability, got " + p);
        }
    }
}
