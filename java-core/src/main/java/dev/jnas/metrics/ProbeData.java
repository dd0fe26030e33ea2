package dev.jnas.metrics;

import java.util.Random;

/**
 * The inputs the training-free metrics are measured on: normalized 3×32×32 images for the κ network and
 * single-channel 3×3 patches for the thin linear-region network. Labels are never needed. Every draw comes
 * from the given generator only, so a seeded generator gives the same inputs every time.
 */
public interface ProbeData {
    int CHANNELS = 3;
    int SIZE = 32;
    int IMAGE_VALUES = CHANNELS * SIZE * SIZE;
    int PATCH = 3;
    int PATCH_VALUES = PATCH * PATCH;

    /** The canonical name in settings keys, e.g. "fashion-mnist". */
    String key();

    /** Writes count distinct images of [3, 32, 32] into dst (count · {@value #IMAGE_VALUES} values). */
    void images(Random random, float[] dst, int count);

    /**
     * Writes count patches of [1, 3, 3] into dst (count · {@value #PATCH_VALUES} values): random 3×3 crops of
     * random images, each of one random channel, normalized (TE-NAS's RandomCrop(3) and RandChannel(1)).
     */
    void patches(Random random, float[] dst, int count);
}
