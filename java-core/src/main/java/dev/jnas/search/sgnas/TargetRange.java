package dev.jnas.search.sgnas;

/**
 * The FLOPs range [low, high) a generator is trained for, in MFLOPs (the reference: 270–450 on ImageNet, 80–120
 * on CIFAR), and the things derived from it: the generator's normalised constraint input, the targets training
 * cycles through (with their jitter) and the grid model selection evaluates.
 *
 * <p>{@code unit} is the FLOPs scale of the reference's constants, 1 MFLOP for the reference's supernets: training
 * targets step by 5 units and are jittered by ±0.5 units, the grid steps by 10 units, and
 * {@link HardwareConstraintLoss#inUnits} scales the loss alike. A CPU-sized supernet spans a few MFLOPs, so its
 * search takes a unit of (high − low)/40, which puts it where the reference's CIFAR range (80–120) is.
 */
public record TargetRange(double low, double high, double unit) {
    /** The reference's step between training targets: {@code range(low, high, 5)}, in units. */
    public static final double TRAINING_STEP = 5;
    /** The reference's step of the evaluation grid: {@code range(low, high, 10)}, in units. */
    public static final double EVALUATION_STEP = 10;
    /** The reference's jitter of a training target: T = pool[i] + U(−0.5, 0.5), in units. */
    public static final double JITTER = 0.5;
    /** Units across the range that put a range where the reference's CIFAR one (80–120 MFLOPs) is. */
    public static final double REFERENCE_WIDTH = 40;

    public TargetRange {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high)) {
            throw new IllegalArgumentException("a target range needs finite low < high, got [" + low + ", " + high
                    + ")");
        }
        if (!(unit > 0) || !Double.isFinite(unit)) {
            throw new IllegalArgumentException("a target range's unit must be positive and finite, got " + unit);
        }
    }

    /** The range in the reference's unit, 1 MFLOP. */
    public TargetRange(double low, double high) {
        this(low, high, 1);
    }

    /** The range with a unit of (high − low)/40: steps and losses scaled as for the reference's CIFAR range. */
    public static TargetRange scaledToWidth(double low, double high) {
        return new TargetRange(low, high, (high - low) / REFERENCE_WIDTH);
    }

    /** The half-width of a training target's uniform jitter. */
    public double jitter() {
        return JITTER * unit;
    }

    /** (target − low) / (high − low): 0 at low, 1 at high; the generator's constraint input. */
    public double normalise(double target) {
        return (target - low) / (high - low);
    }

    /** The training targets: low, low + 5 units, ... below high. */
    public double[] trainingPool() {
        return grid(TRAINING_STEP * unit);
    }

    /** The evaluation targets: low, low + 10 units, ... below high. */
    public double[] evaluationGrid() {
        return grid(EVALUATION_STEP * unit);
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
