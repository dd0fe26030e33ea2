package dev.jnas.metrics;

import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;

/**
 * Probe inputs from a pool of 8-bit images of 1 or 3 channels up to 32×32, kept as bytes (CIFAR-10's 50,000
 * images would take 600 MB as floats). An image is centred on a 32×32 canvas padded with black (Fashion-MNIST's
 * 28×28 gets 2 pixels a side), a single channel is repeated to three, and every value is normalized with its
 * source channel's mean and standard deviation (in units of 1/255).
 */
public final class ImageProbeData implements ProbeData {
    private static final int LEVELS = 256;

    private final String key;
    private final byte[] pixels;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    /** normalized[c][v]: the normalized value of byte v in source channel c. */
    private final float[][] normalized;

    /**
     * @param pixels count images of [channels, height, width] bytes, row-major
     * @param mean   per source channel, in [0, 1]
     * @param std    per source channel, positive
     */
    public ImageProbeData(String key, byte[] pixels, int count, int channels, int height, int width, float[] mean,
                          float[] std) {
        if (channels != 1 && channels != CHANNELS) {
            throw new IllegalArgumentException("images need 1 or 3 channels, got " + channels);
        }
        if (height > SIZE || width > SIZE || height < PATCH || width < PATCH) {
            throw new IllegalArgumentException("images must be between 3x3 and 32x32, got " + height + "x" + width);
        }
        if ((long) count * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " bytes are not " + count + " images of " + channels
                    + "x" + height + "x" + width);
        }
        this.key = key;
        this.pixels = pixels;
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.normalized = new float[channels][LEVELS];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < LEVELS; v++) {
                normalized[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public void images(Random random, float[] dst, int count) {
        int offset = 0;
        for (int index : distinctImages(random, count)) {
            canvas(index, dst, offset);
            offset += IMAGE_VALUES;
        }
    }

    @Override
    public void patches(Random random, float[] dst, int count) {
        int offset = 0;
        for (int index : distinctImages(random, count)) {
            int channel = random.nextInt(CHANNELS);
            int top = random.nextInt(SIZE - PATCH + 1);
            int left = random.nextInt(SIZE - PATCH + 1);
            // Only the patch's values: a whole canvas per patch was a tenth of a frozen-mode score.
            for (int y = 0; y < PATCH; y++) {
                for (int x = 0; x < PATCH; x++) {
                    dst[offset++] = canvasValue(index, channel, top + y, left + x);
                }
            }
        }
    }

    /**
     * count different images in draw order. Distinct because identical samples give identical NTK rows,
     * which makes Θ singular by construction rather than by the architecture.
     */
    private Set<Integer> distinctImages(Random random, int wanted) {
        if (wanted > count) {
            throw new IllegalArgumentException("asked for " + wanted + " different images but " + key + " has "
                    + count);
        }
        Set<Integer> chosen = new LinkedHashSet<>();
        while (chosen.size() < wanted) {
            chosen.add(random.nextInt(count));
        }
        return chosen;
    }

    /** Writes image index as a normalized, padded [3, 32, 32] canvas at dst[offset]. */
    private void canvas(int index, float[] dst, int offset) {
        for (int c = 0; c < CHANNELS; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    dst[offset++] = canvasValue(index, c, y, x);
                }
            }
        }
    }

    /** The value at (c, y, x) of image index's canvas: its normalized pixel, or black in the padding. */
    private float canvasValue(int index, int c, int y, int x) {
        int source = channels == 1 ? 0 : c;
        float[] lookup = normalized[source];
        int sy = y - (SIZE - height) / 2;
        int sx = x - (SIZE - width) / 2;
        if (sy < 0 || sy >= height || sx < 0 || sx >= width) {
            return lookup[0];
        }
        return lookup[pixels[((index * channels + source) * height + sy) * width + sx] & 0xff];
    }
}
