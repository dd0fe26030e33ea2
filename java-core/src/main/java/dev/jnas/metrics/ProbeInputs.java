package dev.jnas.metrics;

import java.util.Random;

/**
 * The probe inputs of a (seed, repeat): the κ network's batch and the region network's patch batches. They depend
 * on neither the architecture nor its weights, so a scorer draws them once per (seed, repeat) and every
 * architecture of a sweep reuses them, where drawing them per architecture had cost as much as a tenth of a
 * frozen-mode score (and a large array per cell for the garbage collector). The draws are those of
 * {@link SeedStreams}, so the inputs are the same as if drawn afresh. TE-NAS's supernets take theirs from here too
 * (repeat 0 of each draw's input seed).
 *
 * <p>Only the current seed's inputs are kept. Used by one thread at a time, like the scorer that owns it.
 */
public final class ProbeInputs {
    private final MetricSettings settings;
    private final ProbeData data;
    private long seed;
    private float[][] kappaBatches = new float[0][];      // per repeat, null until drawn
    private float[][][] regionBatches = new float[0][][];  // per repeat, null until drawn

    public ProbeInputs(MetricSettings settings, ProbeData data) {
        this.settings = settings;
        this.data = data;
    }

    /** The κ batch of (seed, repeat): settings.batch() images. */
    public float[] kappaBatch(long seed, int repeat) {
        select(seed);
        if (kappaBatches[repeat] == null) {
            float[] batch = new float[settings.batch() * ProbeData.IMAGE_VALUES];
            data.images(new Random(SeedStreams.derive(seed, repeat, SeedStreams.Stream.KAPPA_BATCH)), batch,
                    settings.batch());
            kappaBatches[repeat] = batch;
        }
        return kappaBatches[repeat];
    }

    /** The region batches of (seed, repeat), in the order they are drawn from one stream. */
    public float[][] regionBatches(long seed, int repeat) {
        select(seed);
        if (regionBatches[repeat] == null) {
            Random random = new Random(SeedStreams.derive(seed, repeat, SeedStreams.Stream.REGION_PATCHES));
            float[][] batches = new float[MetricSettings.REGION_BATCHES][];
            for (int b = 0; b < batches.length; b++) {
                batches[b] = new float[MetricSettings.REGION_BATCH_SIZE * ProbeData.PATCH_VALUES];
                data.patches(random, batches[b], MetricSettings.REGION_BATCH_SIZE);
            }
            regionBatches[repeat] = batches;
        }
        return regionBatches[repeat];
    }

    private void select(long wanted) {
        if (kappaBatches.length == settings.repeats() && wanted == seed) {
            return;
        }
        seed = wanted;
        kappaBatches = new float[settings.repeats()][];
        regionBatches = new float[settings.repeats()][][];
    }
}
