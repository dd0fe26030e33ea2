package dev.jnas.data;

/**
 * Per-data-set standardization x' = (x - mean) / std, with mean and std measured on the training split and
 * applied unchanged to the test split (so no test statistics leak into training).
 */
public record Normalization(float mean, float std) {
    public static Normalization fit(float[] pixels) {
        double sum = 0;
        for (float p : pixels) {
            sum += p;
        }
        double mean = sum / pixels.length;
        double squares = 0;
        for (float p : pixels) {
            squares += (p - mean) * (p - mean);
        }
        double std = Math.sqrt(squares / pixels.length);
        return new Normalization((float) mean, (float) (std > 0 ? std : 1));
    }

    public LabeledImages apply(LabeledImages images) {
        float[] pixels = images.pixels();
        float[] normalized = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            normalized[i] = (pixels[i] - mean) / std;
        }
        return new LabeledImages(images.count(), images.channels(), images.height(), images.width(),
                images.classes(), normalized, images.labels());
    }
}
