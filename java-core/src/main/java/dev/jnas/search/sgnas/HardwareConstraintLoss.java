package dev.jnas.search.sgnas;

/**
 * SGNAS's hardware-constraint loss on generated FLOPs g against a target T (both in MFLOPs), asymmetric and with
 * a dead zone, exactly as the reference's {@code cal_hc_loss}:
 * <pre>
 *   α·β·(g − T)²   if g &gt; T + deadZone   (over budget costs β times more)
 *   α·(T − g)²     if g &lt; T − deadZone
 *   0              otherwise
 * </pre>
 * The loss jumps from 0 to α·deadZone² (or α·β·deadZone²) at the edges of the dead zone, as the reference's does.
 * It is added to the supernet's cross-entropy with no further weight: α plays that role.
 *
 * @param alpha    the loss weight α
 * @param beta     the over-budget penalty factor β
 * @param deadZone the half-width of the zone around T that costs nothing, in MFLOPs
 */
public record HardwareConstraintLoss(double alpha, double beta, double deadZone) {
    public static final double DEFAULT_ALPHA = 3e-4;
    public static final double DEFAULT_BETA = 1.2;
    public static final double DEFAULT_DEAD_ZONE = 0.1;

    public HardwareConstraintLoss {
        requireNonNegative(alpha, "alpha");
        requireNonNegative(beta, "beta");
        requireNonNegative(deadZone, "the dead zone");
    }

    /** The reference's α = 3e-4, β = 1.2 and dead zone ±0.1 MFLOPs. */
    public HardwareConstraintLoss() {
        this(DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_DEAD_ZONE);
    }

    /**
     * This loss for FLOPs measured in {@code unit}s (see {@link TargetRange}): α/unit² and deadZone·unit, so that
     * a deviation of u units costs what u MFLOPs cost the reference.
     */
    public HardwareConstraintLoss inUnits(double unit) {
        if (!(unit > 0) || !Double.isFinite(unit)) {
            throw new IllegalArgumentException("the FLOPs unit must be positive and finite, got " + unit);
        }
        return new HardwareConstraintLoss(alpha / (unit * unit), beta, deadZone * unit);
    }

    public double value(double flops, double target) {
        double excess = flops - target;
        return weight(flops, target) * excess * excess;
    }

    /** dL/dflops (0 inside the dead zone, where the reference's loss is a zero multiple of the square). */
    public double derivative(double flops, double target) {
        return 2 * weight(flops, target) * (flops - target);
    }

    /** The factor in front of (g − T)²; the comparisons are the reference's, T ± deadZone computed first. */
    private double weight(double flops, double target) {
        if (flops > target + deadZone) {
            return alpha * beta;
        }
        if (flops < target - deadZone) {
            return alpha;
        }
        return 0;
    }

    private static void requireNonNegative(double value, String name) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("the hardware-constraint loss's " + name
                    + " must be finite and not negative, got " + value);
        }
    }
}
