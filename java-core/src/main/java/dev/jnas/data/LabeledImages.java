package dev.jnas.data;

import java.util.Arrays;

/**
 * count images of [channels, height, width] floats, row-major, one after another, with integer labels in
 * [0, classes).
 */
public record LabeledImages(int count, int channels, int height, int width, int classes, float[] pixels,
                            int[] labels) {
    public LabeledImages {
        if (pixels.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("pixels holds " + pixels.length + " values, not " + count + " images of "
                    + channels + "x" + height + "x" + width);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("labels holds " + labels.length + " values, not " + count);
        }
    }

    public int imageSize() {
        return channels * height * width;
    }

    /**
     * Copies the images order[from], order[from+1], ... into pixels and their labels into labels; the batch
     * size is labels.length, and pixels must hold that many images.
     */
    public void gather(int[] order, int from, float[] pixels, int[] labels) {
        int size = imageSize();
        for (int b = 0; b < labels.length; b++) {
            int index = order[from + b];
            System.arraycopy(this.pixels, index * size, pixels, b * size, size);
            labels[b] = this.labels[index];
        }
    }

    /** A copy of images [from, to), e.g. to hold part of a training split out for validation. */
    public LabeledImages range(int from, int to) {
        if (from < 0 || to > count || from >= to) {
            throw new IllegalArgumentException("image range [" + from + ", " + to + ") is empty or outside [0, "
                    + count + ")");
        }
        int size = imageSize();
        return new LabeledImages(to - from, channels, height, width, classes,
                Arrays.copyOfRange(pixels, from * size, to * size),
                Arrays.copyOfRange(labels, from, to));
    }
}
