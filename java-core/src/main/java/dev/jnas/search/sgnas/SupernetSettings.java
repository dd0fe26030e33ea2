package dev.jnas.search.sgnas;

/**
 * How the unified supernet is trained (reference: SGNAS's supernet stage). Each step samples {@code pathsPerStep}
 * single paths, accumulates their gradients, and takes one SGD step; the learning rate follows a cosine schedule
 * stepped every iteration.
 *
 * @param checkpointEvery steps between checkpoints inside an epoch (every epoch's end is one too)
 */
public record SupernetSettings(int epochs, int batchSize, int pathsPerStep, float learningRate, float momentum,
                               float weightDecay, float labelSmoothing, long seed, int checkpointEvery) {
    /** The public code's values: 4 paths, SGD lr 0.064, momentum 0.9, weight decay 4e-4, label smoothing 0.1. */
    public static final int PATHS_PER_STEP = 4;
    public static final float LEARNING_RATE = 0.064f;
    public static final float MOMENTUM = 0.9f;
    public static final float WEIGHT_DECAY = 4e-4f;
    public static final float LABEL_SMOOTHING = 0.1f;

    public SupernetSettings {
        requirePositive(epochs, "epochs");
        requirePositive(batchSize, "batch size");
        requirePositive(pathsPerStep, "paths per step");
        requirePositive(checkpointEvery, "checkpoint interval");
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, not " + learningRate);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), not " + labelSmoothing);
        }
    }

    /** The reference's optimizer settings with the given schedule. */
    public static SupernetSettings reference(int epochs, int batchSize, long seed) {
        return new SupernetSettings(epochs, batchSize, PATHS_PER_STEP, LEARNING_RATE, MOMENTUM, WEIGHT_DECAY,
                LABEL_SMOOTHING, seed, 100);
    }

    static void requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + value);
        }
    }
}
