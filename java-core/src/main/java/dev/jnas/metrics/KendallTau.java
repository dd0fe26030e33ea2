package dev.jnas.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.BiPredicate;

/**
 * Kendall's τ-b, which corrects for ties in either ranking, in O(n log n) (Knight's method): sort the pairs by
 * (x, y), count the tied groups, then count the discordant pairs as the swaps a merge sort by y makes.
 * τ-b = (C − D) / √((n₀ − n₁)(n₀ − n₂)) with n₀ = n(n−1)/2 pairs, n₁ pairs tied in x, n₂ tied in y, and
 * C − D = n₀ − n₁ − n₂ + n₃ − 2·swaps, n₃ being the pairs tied in both.
 */
public final class KendallTau {
    private KendallTau() {
    }

    /**
     * τ-b of x against y (same length, no NaN). NaN when fewer than two pairs or when one side is constant,
     * where τ-b is undefined.
     */
    public static double tauB(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
        int n = x.length;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                throw new IllegalArgumentException("NaN at position " + i + "; leave undefined values out first");
            }
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> x[i]).thenComparingDouble(i -> y[i]));
        double[] ys = new double[n];
        for (int k = 0; k < n; k++) {
            ys[k] = y[order[k]];
        }
        long tiedX = tiedPairs(order, (a, b) -> Double.compare(x[a], x[b]) == 0);
        long tiedBoth = tiedPairs(order,
                (a, b) -> Double.compare(x[a], x[b]) == 0 && Double.compare(y[a], y[b]) == 0);
        // The merge sort leaves ys sorted, so its runs of equal values are exactly y's tied groups.
        long swaps = mergeSortCountingSwaps(ys, new double[n], 0, n);
        Integer[] sortedY = new Integer[n];
        Arrays.setAll(sortedY, i -> i);
        long tiedY = tiedPairs(sortedY, (a, b) -> Double.compare(ys[a], ys[b]) == 0);
        long all = pairs(n);
        double denominator = Math.sqrt((double) (all - tiedX) * (all - tiedY));
        if (denominator == 0) {
            return Double.NaN;
        }
        return (all - tiedX - tiedY + tiedBoth - 2.0 * swaps) / denominator;
    }

    /** Pairs within runs of neighbours that same calls equal, in the given order. */
    private static long tiedPairs(Integer[] order, BiPredicate<Integer, Integer> same) {
        long tied = 0;
        long run = 1;
        for (int k = 1; k <= order.length; k++) {
            if (k < order.length && same.test(order[k], order[k - 1])) {
                run++;
            } else {
                tied += pairs(run);
                run = 1;
            }
        }
        return tied;
    }

    private static long pairs(long count) {
        return count * (count - 1) / 2;
    }

    /** Sorts values[from, to) ascending and returns how many pairs were out of order (strictly greater first). */
    private static long mergeSortCountingSwaps(double[] values, double[] scratch, int from, int to) {
        if (to - from < 2) {
            return 0;
        }
        int middle = (from + to) >>> 1;
        long swaps = mergeSortCountingSwaps(values, scratch, from, middle)
                + mergeSortCountingSwaps(values, scratch, middle, to);
        int left = from;
        int right = middle;
        int out = from;
        while (left < middle && right < to) {
            if (Double.compare(values[right], values[left]) < 0) {
                swaps += middle - left;
                scratch[out++] = values[right++];
            } else {
                scratch[out++] = values[left++];
            }
        }
        while (left < middle) {
            scratch[out++] = values[left++];
        }
        while (right < to) {
            scratch[out++] = values[right++];
        }
        System.arraycopy(scratch, from, values, from, to - from);
        return swaps;
    }
}
