package dev.jnas.cli;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeDataSets;
import dev.jnas.store.EvaluationStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
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

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--workers", defaultValue = "0",
            description = "Networks measured side by side, each worker on its own single-threaded engine; 0: one per "
                    + "core on cpu, 1 on cuda (default: ${DEFAULT-VALUE}). With 1, --threads parallelizes each network.")
    int workers;

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

    /**
     * One engine per worker (the caller closes them): single-threaded when there are several, since on a small
     * CPU measuring networks side by side beats splitting each small network's kernels over threads.
     */
    List<Engine> openEngines() {
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must be 0 (automatic) or more, got " + workers);
        }
        int count = workers > 0 ? workers
                : engineOptions.backend == Backend.CPU ? Runtime.getRuntime().availableProcessors() : 1;
        List<Engine> engines = new ArrayList<>();
        try {
            for (int w = 0; w < count; w++) {
                engines.add(Engine.open(engineOptions.backend, engineOptions.device));
                engines.get(w).setThreads(count == 1 ? engineOptions.threads : 1);
            }
        } catch (RuntimeException e) {
            engines.forEach(Engine::close);
            throw e;
        }
        return engines;
    }

    /** "cpu (1 threads) × 2 workers": what the engines are, for reports. */
    static String describe(List<Engine> engines) {
        return engines.get(0).deviceName() + (engines.size() > 1 ? " × " + engines.size() + " workers" : "");
    }

    Path storeFile() {
        return store != null ? store : EvaluationStore.DEFAULT_FILE;
    }
}
