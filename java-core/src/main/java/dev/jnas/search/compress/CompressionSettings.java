package dev.jnas.search.compress;

/**
 * A compression run: λ of every switch, the epochs of each phase (weights alone; joint weights and switches, each
 * followed by an ARD update, then pruning, repeated pruneIterations times; fine-tuning the compressed net), the
 * mini-batch, the weights' Adam learning rate and the one of the fine-tuning epochs, whether to also train the
 * uncompressed model for the same total epochs as the baseline (its last fineTuneEpochs at the fine-tuning rate too,
 * so both follow one schedule), and the seed of everything. The switches' SGD is BayesNAS's (lr 0.1, momentum 0.9).
 */
public record CompressionSettings(double lambda, int weightEpochs, int jointEpochs, int pruneIterations,
                                  int fineTuneEpochs, int batch, float learningRate, float fineTuneLearningRate,
                                  boolean baseline, long seed) {
    /** L2 weight decay of the weights' Adam, in every phase and in the baseline (the reference's 1e-4). */
    public static final float WEIGHT_DECAY = 1e-4f;

    public CompressionSettings {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("λ must be positive and finite, got " + lambda);
        }
        if (weightEpochs < 0 || jointEpochs < 1 || pruneIterations < 1 || fineTuneEpochs < 0) {
            throw new IllegalArgumentException("compression needs weight epochs >= 0, joint epochs >= 1, prune "
                    + "iterations >= 1 and fine-tune epochs >= 0, got " + weightEpochs + ", " + jointEpochs + ", "
                    + pruneIterations + " and " + fineTuneEpochs);
        }
        if (batch < 1 || !(learningRate > 0) || Float.isInfinite(learningRate) || !(fineTuneLearningRate > 0)
                || Float.isInfinite(fineTuneLearningRate)) {
            throw new IllegalArgumentException("compression needs batch >= 1 and positive finite learning rates, got "
                    + batch + ", " + learningRate + " and " + fineTuneLearningRate);
        }
    }

    /** Every epoch of the run: the budget the baseline trains for. */
    public int totalEpochs() {
        return weightEpochs + jointEpochs * pruneIterations + fineTuneEpochs;
    }
}
