package dev.jnas.cli;

import dev.jnas.bindings.Engine;
import dev.jnas.metrics.ArchitectureScorer;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeData;
import dev.jnas.metrics.ProbeDataSets;
import dev.jnas.metrics.TrainingFreeScorer;
import dev.jnas.space.nb201.Nb201Architecture;
import dev.jnas.store.EvaluationStore;
import dev.jnas.store.ResumableSweep;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Scores cells for a command: validates the options, opens the store and the engine, loads the data and runs a
 * {@link ResumableSweep}, with a progress bar on stderr for more than one cell and a closing summary line.
 */
final class ScoringSession {
    private ScoringSession() {
    }

    static void run(ScoringOptions options, List<Nb201Architecture> architectures, PrintWriter err,
                    ResumableSweep.Listener listener) {
        MetricSettings settings = options.settings();
        MeasurementOptions measurement = options.measurement;
        long start = System.nanoTime();
        ProbeData data = ProbeDataSets.load(measurement.dataset);
        List<Engine> engines = measurement.openEngines();
        try (EvaluationStore store = EvaluationStore.open(measurement.storeFile())) {
            List<ArchitectureScorer> scorers = engines.stream()
                    .<ArchitectureScorer>map(engine -> new TrainingFreeScorer(engine, settings, data)).toList();
            ResumableSweep sweep = new ResumableSweep(store, options.space, settings.key(), measurement.seed,
                    MeasurementOptions.describe(engines));
            ResumableSweep.Listener progress = architectures.size() > 1 ? new SweepProgress(ProgressBar.on(err)) : null;
            ResumableSweep.Summary summary = sweep.run(architectures, scorers, (arch, score, stored, done, total) -> {
                listener.onScore(arch, score, stored, done, total);
                if (progress != null) {
                    progress.onScore(arch, score, stored, done, total);
                }
            });
            err.printf(Locale.ROOT, "jnas: %d cells, %d from the store, %d computed, %.1f s (%s; store %s)%n",
                    architectures.size(), summary.fromStore(), summary.computed(), (System.nanoTime() - start) / 1e9,
                    settings.key(), store.file());
            err.flush();
        } finally {
            engines.forEach(Engine::close);
        }
    }
}
