package dev.jnas.cli;

import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.space.nb201.Nb201PruningSpace;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that say which cells' metrics are scored and how, shared by score and correlate. */
final class ScoringOptions {
    /** The only space with a scorer so far; the store keys carry it so that others can join later. */
    static final String NB201 = Nb201PruningSpace.NAME;

    @Option(names = "--space", defaultValue = NB201,
            description = "Search space (default: ${DEFAULT-VALUE}; the only one so far).")
    String space;

    @Option(names = "--metrics", defaultValue = "ntk,lr,naswot",
            description = "Comma-separated metrics: ntk, lr, naswot (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Mixin
    MeasurementOptions measurement;

    /**
     * The validated settings; nothing is loaded yet.
     *
     * @throws IllegalArgumentException for an unknown space, metric, init or dataset, or a bad number
     */
    MetricSettings settings() {
        if (!NB201.equals(space)) {
            throw new IllegalArgumentException("unknown space '" + space + "'; known: " + NB201);
        }
        return measurement.settings(MetricKind.parseList(metrics));
    }
}
