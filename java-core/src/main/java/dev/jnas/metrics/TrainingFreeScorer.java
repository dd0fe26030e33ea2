package dev.jnas.metrics;

import dev.jnas.bindings.Engine;
import dev.jnas.space.nb201.Nb201Architecture;
import java.util.Objects;

/**
 * TE-NAS's training-free metrics (NTK condition number, linear regions) and NASWOT for NB201 architectures
 * on one engine. Each repeat draws fresh weights and fresh inputs from {@link SeedStreams}, so a score depends
 * only on (architecture, seed, settings), and the repeats are averaged ({@link RepeatAverage}). Unlike TE-NAS's
 * public code, which reused its weights across repeats, every repeat is an independent draw.
 */
public final class TrainingFreeScorer implements ArchitectureScorer {
    private final Engine engine;
    private final MetricSettings settings;
    private final ProbeInputs inputs;

    public TrainingFreeScorer(Engine engine, MetricSettings settings, ProbeData data) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(data, "data");
        if (!data.key().equals(settings.dataset())) {
            throw new IllegalArgumentException("settings are for data set " + settings.dataset() + " but the data is "
                    + data.key());
        }
        this.inputs = new ProbeInputs(settings, data);
    }

    @Override
    public Score score(Nb201Architecture architecture, long seed) {
        long start = System.nanoTime();
        RepeatAverage average = new RepeatAverage();
        try (KappaNetwork kappa = settings.needsKappaNetwork()
                ? KappaNetwork.build(engine, architecture, settings) : null;
             RegionNetwork regions = settings.wants(MetricKind.LINEAR_REGIONS)
                ? RegionNetwork.build(engine, architecture, settings) : null) {
            for (int repeat = 0; repeat < settings.repeats(); repeat++) {
                if (kappa != null) {
                    kappa.measure(seed, repeat, inputs, average);
                }
                if (regions != null) {
                    regions.measure(seed, repeat, inputs, average);
                }
            }
        }
        return average.score(settings.repeats(), (System.nanoTime() - start) / 1e9);
    }
}
