package dev.jnas.metrics;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * The metrics of one architecture, averaged over repeats, exactly as computed: NaN and infinities stay what
 * they are, and {@link MetricFlags} say why.
 *
 * @param values  the metrics that were asked for; absent ones were not computed
 * @param flags   {@link MetricFlags} bits
 * @param seconds the wall time the evaluation took
 */
public record Score(Map<MetricKind, Double> values, int flags, double seconds) {
    public Score {
        values = Map.copyOf(values);
    }

    public OptionalDouble value(MetricKind metric) {
        Double value = values.get(metric);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}
