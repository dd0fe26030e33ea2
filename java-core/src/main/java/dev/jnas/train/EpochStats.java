package dev.jnas.train;

/** One epoch's mean training loss and accuracy (over its mini-batches) and the test accuracy after it. */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds) {
}
