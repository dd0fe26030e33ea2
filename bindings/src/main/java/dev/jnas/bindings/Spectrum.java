package dev.jnas.bindings;

/**
 * The eigenvalues (ascending, double precision) and condition number κ = λmax/λmin of a symmetric matrix, as
 * {@link Engine#spectrum} computed them. κ is never clamped or replaced: the flags say when it is not a
 * finite positive ratio.
 *
 * @param flags the {@code JNAS_SPECTRUM_*} bits of jnas.h
 */
public record Spectrum(double[] eigenvalues, double kappa, int flags) {
    /** λmin <= 0: κ is negative, infinite or NaN, not a condition number. */
    public static final int NONPOSITIVE_MIN = 1;
    /** The matrix held NaN/inf (eigenvalues and κ are then NaN), or κ is not finite. */
    public static final int NONFINITE = 2;
    /** The eigensolver did not converge (eigenvalues and κ are NaN). */
    public static final int NOT_CONVERGED = 4;

    public Spectrum {
        eigenvalues = eigenvalues.clone();
    }

    @Override
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** Whether κ is a finite ratio of positive eigenvalues (no flag set). */
    public boolean isValid() {
        return flags == 0;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}
