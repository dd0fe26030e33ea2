package dev.jnas.train;

import java.util.List;

/** Every epoch's statistics and the loss of every optimizer step, in order. */
public record TrainResult(List<EpochStats> epochs, float[] stepLosses) {
    public EpochStats last() {
        return epochs.getLast();
    }
}
