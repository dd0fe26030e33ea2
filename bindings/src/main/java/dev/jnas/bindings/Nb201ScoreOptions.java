package dev.jnas.bindings;

/**
 * What {@link Engine#nb201Score} depends on besides the architecture ({@code jnas_nb201_score_options}).
 *
 * @param seed     the seed of every weight and input draw ({@code jnas score --seed})
 * @param metrics  {@link #NTK}, {@link #LINEAR_REGIONS} and {@link #NASWOT} bits, at least one
 * @param batch    the κ network's batch (NTK and NASWOT samples), at least 2
 * @param repeats  independent draws of weights and inputs averaged, at least 1
 * @param init     {@link Init#PYTORCH_DEFAULT} or {@link Init#KAIMING_NORMAL_FAN_IN}
 * @param coupling how batch-norm statistics enter the NTK
 */
public record Nb201ScoreOptions(long seed, int metrics, int batch, int repeats, Init init, BnCoupling coupling) {
    public static final int NTK = 1;
    public static final int LINEAR_REGIONS = 2;
    public static final int NASWOT = 4;
    /** {@code jnas score}'s defaults: every metric, batch 72, 3 repeats, PyTorch-default init, frozen coupling. */
    public static final Nb201ScoreOptions DEFAULTS = new Nb201ScoreOptions(0, NTK | LINEAR_REGIONS | NASWOT, 72, 3,
            Init.PYTORCH_DEFAULT, BnCoupling.FROZEN);

    /** Checks only what Java must (no nulls); the library validates the values and names a bad one. */
    public Nb201ScoreOptions {
        Arguments.notNull(init, "init");
        Arguments.notNull(coupling, "coupling");
    }

    public Nb201ScoreOptions withSeed(long newSeed) {
        return new Nb201ScoreOptions(newSeed, metrics, batch, repeats, init, coupling);
    }
}
