package dev.jnas.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * How both sides of a peer comparison are timed, identically: warmup untimed runs, then runs timed ones, of
 * which the median counts. The PyTorch scripts get the same numbers (bench/peer/peer.py).
 *
 * @param warmup untimed runs first
 * @param runs   timed runs
 */
record PeerProtocol(int warmup, int runs) {
    PeerProtocol {
        if (warmup < 0 || runs < 1) {
            throw new IllegalArgumentException("a protocol needs warmup >= 0 and runs >= 1, got " + warmup + ", "
                    + runs);
        }
    }

    /** The seconds of each timed run and the last run's result. */
    <T> Timed<T> time(Supplier<T> workload) {
        for (int i = 0; i < warmup; i++) {
            workload.get();
        }
        List<Double> seconds = new ArrayList<>();
        T result = null;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            result = workload.get();
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        return new Timed<>(median(seconds), result);
    }

    List<String> arguments() {
        return List.of("--warmup", Integer.toString(warmup), "--runs", Integer.toString(runs));
    }

    /** NaN for no values. */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A median time and the result of the last run. */
    record Timed<T>(double seconds, T result) {
    }
}
