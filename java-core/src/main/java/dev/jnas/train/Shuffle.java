package dev.jnas.train;

import java.util.SplittableRandom;

/** Orders in which to visit n items. */
public final class Shuffle {
    private Shuffle() {
    }

    /** 0, 1, ..., n-1. */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** A uniformly random order of 0..n-1 (Fisher–Yates). */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] order = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
