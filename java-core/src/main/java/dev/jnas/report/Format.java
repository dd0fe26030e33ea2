package dev.jnas.report;

import java.util.Locale;

/** How the report writes numbers: fixed decimals with a dot, thousands grouped, non-finite values by name. */
final class Format {
    private Format() {
    }

    static String fixed(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A fraction in [0, 1] as a percentage with two decimals; NaN (not measured) by name. */
    static String percent(double fraction) {
        return Double.isFinite(fraction) ? fixed(100 * fraction, 2) + "%" : Double.toString(fraction);
    }

    /** Four significant digits: condition numbers and region counts span orders of magnitude. */
    static String significant(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
