package dev.jnas.train;

/** How to train: epochs, mini-batch size, optimizer and learning rate, and the seed of weights and order. */
public record TrainConfig(int epochs, int batchSize, OptimizerKind optimizer, float learningRate, long seed) {
    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, not " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, not " + learningRate);
        }
    }
}
