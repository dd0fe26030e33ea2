package dev.jnas.metrics;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The training-free metrics of one architecture, by their command-line names. */
public enum MetricKind {
    /** The NTK condition number κ = λmax/λmin of the κ network (TE-NAS): lower is better. */
    NTK("ntk", "ntk_cond"),
    /** The number of distinct ReLU activation patterns of the thin network on 3×3 patches (TE-NAS). */
    LINEAR_REGIONS("lr", "linear_regions"),
    /** log|det K| of the Hamming kernel of the κ network's activation patterns on its batch (NASWOT). */
    NASWOT("naswot", "naswot");

    private final String optionName;
    private final String columnName;

    MetricKind(String optionName, String columnName) {
        this.optionName = optionName;
        this.columnName = columnName;
    }

    /** The name in {@code --metrics} and in the settings key. */
    public String optionName() {
        return optionName;
    }

    /** The name of the column in CSV, JSON and the store. */
    public String columnName() {
        return columnName;
    }

    /**
     * Parses a comma-separated list such as "ntk,lr,naswot".
     *
     * @throws IllegalArgumentException naming the unknown metric, or for an empty list
     */
    public static Set<MetricKind> parseList(String text) {
        EnumSet<MetricKind> metrics = EnumSet.noneOf(MetricKind.class);
        for (String part : text.split(",", -1)) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            MetricKind metric = null;
            for (MetricKind candidate : values()) {
                if (candidate.optionName.equals(name)) {
                    metric = candidate;
                }
            }
            if (metric == null) {
                throw new IllegalArgumentException("unknown metric '" + part.strip() + "' in '" + text + "'; known: "
                        + formatList(EnumSet.allOf(MetricKind.class)));
            }
            metrics.add(metric);
        }
        return metrics;
    }

    /** The option names in declaration order, comma-separated: the inverse of {@link #parseList}. */
    public static String formatList(Set<MetricKind> metrics) {
        return metrics.stream().sorted().map(MetricKind::optionName).collect(Collectors.joining(","));
    }
}
