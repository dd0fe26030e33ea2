package dev.jnas.metrics;

import dev.jnas.bindings.BnCoupling;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Everything besides the architecture and the seed that a score depends on. {@link #key()} is its canonical
 * text, part of the store's key, so two runs share stored results exactly when they would compute the same
 * numbers.
 *
 * @param metrics  which metrics to compute
 * @param batch    the κ network's batch (NTK and NASWOT samples)
 * @param repeats  independent draws of weights and inputs averaged into one score
 * @param init     how weights are drawn
 * @param coupling how batch-norm statistics enter the NTK's per-sample gradients
 * @param dataset  {@link ProbeData#key()} of the inputs
 */
public record MetricSettings(Set<MetricKind> metrics, int batch, int repeats, InitScheme init, BnCoupling coupling,
                             String dataset) {
    /** TE-NAS's NB201 batch for the NTK. */
    public static final int DEFAULT_BATCH = 72;
    public static final int DEFAULT_REPEATS = 3;
    /** Classes of the networks' linear heads: all three data sets have 10. */
    public static final int CLASSES = 10;
    /** Linear regions: batches of patches per repeat, as TE-NAS's sample_batch. */
    public static final int REGION_BATCHES = 3;
    /** Linear regions: patches per batch (batch-norm statistics are over one batch), as TE-NAS. */
    public static final int REGION_BATCH_SIZE = 1000;

    public MetricSettings {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(coupling, "coupling");
        Objects.requireNonNull(dataset, "dataset");
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("no metrics to compute");
        }
        metrics = Set.copyOf(EnumSet.copyOf(metrics));
        if (batch < 2) {
            throw new IllegalArgumentException("--batch must be at least 2 (an NTK needs two samples), got " + batch);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1, got " + repeats);
        }
    }

    public boolean wants(MetricKind metric) {
        return metrics.contains(metric);
    }

    /** Whether the κ network has to be built: NTK and NASWOT both use it. */
    public boolean needsKappaNetwork() {
        return wants(MetricKind.NTK) || wants(MetricKind.NASWOT);
    }

    /**
     * The canonical text, e.g. {@code metrics=ntk,lr,naswot;batch=72;repeat=3;init=pytorch-default;
     * bn-coupling=frozen;dataset=fashion-mnist;classes=10;regions=3x1000}.
     */
    public String key() {
        return "metrics=" + MetricKind.formatList(metrics)
                + ";batch=" + batch
                + ";repeat=" + repeats
                + ";init=" + init.optionName()
                + ";bn-coupling=" + coupling.name().toLowerCase(Locale.ROOT)
                + ";dataset=" + dataset
                + ";classes=" + CLASSES
                + ";regions=" + REGION_BATCHES + "x" + REGION_BATCH_SIZE;
    }
}
