package dev.jnas.bindings;

/**
 * An NB201 architecture's training-free scores from {@link Engine#nb201Score} ({@code jnas_nb201_scores}): means
 * over the repeats, NaN for a metric not asked for.
 *
 * @param kappa         the NTK condition number λmax/λmin
 * @param lambdaMin     the NTK's smallest eigenvalue
 * @param lambdaMax     the NTK's largest eigenvalue
 * @param linearRegions the distinct ReLU pattern count of the thin network
 * @param naswot        NASWOT's log|det K|, -∞ when singular
 * @param flags         the OR over the repeats of the {@link Spectrum} flags and {@link #NASWOT_SINGULAR}
 */
public record Nb201Scores(double kappa, double lambdaMin, double lambdaMax, double linearRegions, double naswot,
                          int flags) {
    /** NASWOT's kernel was singular on some repeat ({@code JNAS_NB201_NASWOT_SINGULAR}). */
    public static final int NASWOT_SINGULAR = 8;
}
