package dev.jnas.search.alphanas.evolution;

/**
 * What evaluating one program gave. Which values are measured depends on the {@link FitnessKind}; the others are
 * NaN.
 *
 * @param accuracy      test accuracy in [0, 1] after the short training ({@link FitnessKind#TRAIN})
 * @param parameters    trainable values of the lowered network
 * @param macs          multiply-accumulates per sample of its convolutions and dense layers (FLOPs as the NAS
 *                      literature counts them)
 * @param ntkCondition  κ = λmax/λmin of the network's NTK on a probe batch ({@link FitnessKind#TRAINING_FREE})
 * @param linearRegions distinct ReLU sign patterns over the probe batch ({@link FitnessKind#TRAINING_FREE})
 * @param naswot        NASWOT's log|det K| over the probe batch ({@link FitnessKind#TRAINING_FREE})
 * @param seconds       the wall time of the evaluation
 */
public record Fitness(double accuracy, long parameters, long macs, double ntkCondition, double linearRegions,
                      double naswot, double seconds) {
    public Fitness {
        if (parameters < 0 || macs < 0) {
            throw new IllegalArgumentException("parameters and MACs cannot be negative, got " + parameters + " and "
                    + macs);
        }
    }

    /** A trained program's fitness. */
    public static Fitness trained(double accuracy, long parameters, long macs, double seconds) {
        return new Fitness(accuracy, parameters, macs, Double.NaN, Double.NaN, Double.NaN, seconds);
    }

    /** A program's training-free fitness. */
    public static Fitness trainingFree(long parameters, long macs, double ntkCondition, double linearRegions,
                                       double naswot, double seconds) {
        return new Fitness(Double.NaN, parameters, macs, ntkCondition, linearRegions, naswot, seconds);
    }
}
