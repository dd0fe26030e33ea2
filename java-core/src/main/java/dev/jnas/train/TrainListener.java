package dev.jnas.train;

/** Progress callbacks from {@link Trainer}; both default to doing nothing. */
public interface TrainListener {
    /** After optimizer step `step` (1-based) of `steps` in epoch `epoch` (1-based). */
    default void onStep(int epoch, int step, int steps, float loss) {
    }

    default void onEpoch(EpochStats stats) {
    }
}
