package dev.jnas.search.sgnas;

/**
 * The FLOPs range [low, high) a generator is trained for, in MFLOPs (the reference: 270–450 on ImageNet, 80–120
 * on CIFAR), and the three things derived from it: the generator's normalised constraint input, the targets
 * training cycles through and the grid model selection evaluates.
 */
public record TargetRange(double low, double high) {
    /** The reference's step between training targets: {@code range(low, high, 5)}. */
    public static final double TRAINING_STEP = 5;
    /** The reference's step of the evaluation grid: {@code range(low, high, 10)}. */
    public static final double EVALUATION_STEP = 10;

    public TargetRange {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high)) {
            throw new IllegalArgumentException("a target range needs finite low < high, got [" + low + ", " + high
                    + ")");
        }
    }

    /** (target − low) / (high − low): 0 at low, 1 at high; the generator's constraint input. */
    public double normalise(double target) {
        return (target - low) / (high - low);
    }

    /** The training targets: low, low + 5, ... below high. */
    public double[] trainingPool() {
        return grid(TRAINING_STEP);
    }

    /** The evaluation targets: low, low + 10, ... below high. */
    public double[] evaluationGrid() {
        return grid(EVALUATION_STEP);
    }

    /**
     * low, low + step, ... while below high, like Python's {@code range}; each value is low + i·step rather than
     * a running sum, so no rounding accumulates. A small supernet's range in MFLOPs may need a finer step than
     * the reference's.
     */
    public double[] grid(double step) {
        if (!(step > 0) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("a target grid step must be positive and finite, got " + step);
        }
        double estimate = Math.ceil((high - low) / step);
        if (estimate > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("a step of " + step + " gives too many targets in [" + low + ", "
                    + high + ")");
        }
        // The division may round across a whole number; the comparisons range itself makes settle it.
        int count = (int) estimate;
        if (count > 0 && low + (count - 1) * step >= high) {
            count--;
        } else if (low + count * step < high) {
            count++;
        }
        double[] targets = new double[count];
        for (int i = 0; i < count; i++) {
            targets[i] = low + i * step;
        }
        return targets;
    }
}
