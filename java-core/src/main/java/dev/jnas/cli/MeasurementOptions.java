package dev.jnas.cli;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeDataSets;
import dev.jnas.store.EvaluationStore;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/** How the training-free metrics are measured, on what, and where results are kept: shared by score and search. */
final class MeasurementOptions {
    @Option(names = "--batch", defaultValue = "" + MetricSettings.DEFAULT_BATCH,
            description = "Batch of the NTK and NASWOT (default: ${DEFAULT-VALUE}; search tenas on darts: 14).")
    int batch;

    @Option(names = "--repeat", defaultValue = "" + MetricSettings.DEFAULT_REPEATS,
            description = "Independent draws of weights and inputs averaged (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of weights, inputs and samples (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", defaultValue = "pytorch-default",
            description = "pytorch-default (TE-NAS's code) or kaiming-normal (its paper) (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--bn-coupling", defaultValue = "frozen",
            description = "exact (batch-norm statistics differentiated, as TE-NAS; B backward passes) or frozen "
                    + "(statistics constant in the backward; one pass, better correlated) (default: ${DEFAULT-VALUE}).")
    BnCoupling coupling;

    @Option(names = "--dataset", defaultValue = ProbeDataSets.DEFAULT,
            description = "fashion-mnist, synthetic (Gaussian) or cifar10:DIR (binary batches) (default: "
                    + "${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--backend", defaultValue = "cpu", description = "cpu or cuda (default: ${DEFAULT-VALUE}).")
    Backend backend;

    @Option(names = "--device", defaultValue = "0", description = "GPU ordinal for cuda (default: ${DEFAULT-VALUE}).")
    int device;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads; 0 for all cores (default: "
            + "${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--store", paramLabel = "FILE",
            description = "SQLite file of finished evaluations (default: ~/.jnas/store.sqlite).")
    Path store;

    /**
     * The validated settings for the given metrics; nothing is loaded yet.
     *
     * @throws IllegalArgumentException for an unknown init or dataset, or a bad number
     */
    MetricSettings settings(Set<MetricKind> metrics) {
        return new MetricSettings(metrics, batch, repeats, InitScheme.parse(init), coupling,
                ProbeDataSets.key(dataset));
    }

    Path storeFile() {
        return store != null ? store : EvaluationStore.DEFAULT_FILE;
    }
}
