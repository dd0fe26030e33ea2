package dev.jnas.metrics;

import dev.jnas.data.Nb201Table;
import dev.jnas.data.Nb201Table.Benchmark;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kendall τ-b of each metric against each accuracy column of the NB201 table, over scored cells. A cell is
 * left out of a metric's τ when its value is not a number that ranks: NaN, or a κ carrying an NTK flag
 * (λmin &lt;= 0 makes κ negative or infinite, which would rank as "best" or arbitrarily). How many were left
 * out is reported beside τ, so nothing is hidden.
 */
public final class MetricCorrelations {
    /** One metric's τ per benchmark over the cells it could rank. */
    public record Row(MetricKind metric, int used, int excluded, Map<Benchmark, Double> tau) {
    }

    private MetricCorrelations() {
    }

    /**
     * @param scores  one score per cell
     * @param indices the cells' NB201 indices, in the same order
     */
    public static List<Row> compute(Set<MetricKind> metrics, List<Score> scores, int[] indices, Nb201Table table) {
        if (scores.size() != indices.length) {
            throw new IllegalArgumentException(scores.size() + " scores but " + indices.length + " indices");
        }
        List<Row> rows = new ArrayList<>();
        for (MetricKind metric : MetricKind.values()) {
            if (metrics.contains(metric)) {
                rows.add(row(metric, scores, indices, table));
            }
        }
        return rows;
    }

    private static Row row(MetricKind metric, List<Score> scores, int[] indices, Nb201Table table) {
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            if (ranks(metric, scores.get(i))) {
                usable.add(i);
            }
        }
        double[] values = new double[usable.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = scores.get(usable.get(k)).value(metric).orElseThrow();
        }
        Map<Benchmark, Double> tau = new EnumMap<>(Benchmark.class);
        for (Benchmark benchmark : Benchmark.values()) {
            double[] accuracies = new double[values.length];
            for (int k = 0; k < values.length; k++) {
                accuracies[k] = table.accuracy(indices[usable.get(k)], benchmark);
            }
            tau.put(benchmark, KendallTau.tauB(values, accuracies));
        }
        return new Row(metric, values.length, scores.size() - values.length, tau);
    }

    /** Whether the cell's value of the metric is one that ranks (see the class comment). */
    public static boolean ranks(MetricKind metric, Score score) {
        double value = score.value(metric).orElse(Double.NaN);
        if (Double.isNaN(value)) {
            return false;
        }
        return metric != MetricKind.NTK || !score.hasFlag(MetricFlags.NTK_ANY);
    }
}
