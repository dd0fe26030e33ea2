package dev.jnas.metrics;

import java.util.EnumMap;
import java.util.Map;

/**
 * The arithmetic mean of each metric over an architecture's repeats, NaN and infinities included as IEEE
 * arithmetic carries them (one NaN repeat makes a NaN mean, one infinite κ an infinite mean), and the OR of
 * every repeat's flags.
 */
final class RepeatAverage {
    private final Map<MetricKind, Double> sums = new EnumMap<>(MetricKind.class);
    private int flags;

    void add(MetricKind metric, double value) {
        sums.merge(metric, value, Double::sum);
    }

    void flag(int flag) {
        flags |= flag;
    }

    Score score(int repeats, double seconds) {
        Map<MetricKind, Double> means = new EnumMap<>(MetricKind.class);
        sums.forEach((metric, sum) -> means.put(metric, sum / repeats));
        return new Score(means, flags, seconds);
    }
}
