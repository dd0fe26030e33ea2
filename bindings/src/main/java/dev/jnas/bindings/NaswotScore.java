package dev.jnas.bindings;

/**
 * NASWOT's score of a batch: log|det K| of the Hamming kernel K (a Gram matrix, so det K &gt;= 0), in double.
 * A singular K is reported as such, with negative infinity, never as rounding noise.
 *
 * @param logDet log|det K|; negative infinity when K is singular
 * @param flags  the JNAS_NASWOT_* bits of jnas.h
 */
public record NaswotScore(double logDet, int flags) {
    static final int SINGULAR = 1;

    /** det K = 0: two samples with one pattern, dependent patterns, or more samples than bits + 1. */
    public boolean singular() {
        return (flags & SINGULAR) != 0;
    }
}
