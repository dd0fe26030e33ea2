package dev.jnas.data;

/** An image classification data set. */
public interface Dataset {
    String name();

    /**
     * Loads the first trainLimit training and testLimit test images (a limit <= 0 means all), normalized
     * with the statistics of the loaded training images.
     */
    Splits load(int trainLimit, int testLimit);
}
