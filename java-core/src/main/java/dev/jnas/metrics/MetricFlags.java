package dev.jnas.metrics;

import dev.jnas.bindings.Spectrum;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a score is not an ordinary number, as bits: the NTK spectrum's own flags (same values as
 * {@link Spectrum}) and NASWOT's singular kernel. Averaging over repeats ORs them, so a flag on any repeat
 * marks the average.
 */
public final class MetricFlags {
    /** λmin &lt;= 0 on some repeat: κ is negative, infinite or NaN there, not a condition number. */
    public static final int NTK_NONPOSITIVE_MIN = Spectrum.NONPOSITIVE_MIN;
    /** Θ held NaN/inf, or κ was not finite, on some repeat. */
    public static final int NTK_NONFINITE = Spectrum.NONFINITE;
    /** The eigensolver did not converge on some repeat. */
    public static final int NTK_NOT_CONVERGED = Spectrum.NOT_CONVERGED;
    /** NASWOT's kernel was singular (log|det K| = -inf) on some repeat. */
    public static final int NASWOT_SINGULAR = 8;
    /** Every flag about κ. */
    public static final int NTK_ANY = NTK_NONPOSITIVE_MIN | NTK_NONFINITE | NTK_NOT_CONVERGED;

    private static final int[] BITS = {NTK_NONPOSITIVE_MIN, NTK_NONFINITE, NTK_NOT_CONVERGED, NASWOT_SINGULAR};
    private static final String[] NAMES = {"ntk-nonpositive-min", "ntk-nonfinite", "ntk-not-converged",
        "naswot-singular"};

    private MetricFlags() {
    }

    /** The set flags' names joined by '+', e.g. "ntk-nonpositive-min+naswot-singular"; "" for none. */
    public static String format(int flags) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0) {
                names.add(NAMES[i]);
            }
        }
        return String.join("+", names);
    }
}
