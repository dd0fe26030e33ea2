package dev.jnas.metrics;

import java.util.Random;

/** Standard-normal inputs (the "synthetic" data set): needs no files, and independent draws are distinct. */
public final class GaussianProbeData implements ProbeData {
    public static final String KEY = "synthetic";

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public void images(Random random, float[] dst, int count) {
        fill(random, dst, count * IMAGE_VALUES);
    }

    @Override
    public void patches(Random random, float[] dst, int count) {
        fill(random, dst, count * PATCH_VALUES);
    }

    private static void fill(Random random, float[] dst, int values) {
        for (int i = 0; i < values; i++) {
            dst[i] = (float) random.nextGaussian();
        }
    }
}
