package dev.jnas.space.program;

/** The settings of one op; which kind an op carries is fixed by its {@link OpType}. */
public sealed interface OpParams {

    /** Ops without settings. */
    record None() implements OpParams {
    }

    /**
     * A convolution with square kernel, SAME padding (dilation · (kernel − 1) / 2 zeros on each side, so the output
     * has ceil(size / stride) positions), the given groups and no bias.
     */
    record Conv(FeatureCount features, int kernel, int stride, int groups, int dilation) implements OpParams {
        public Conv {
            requirePositive(kernel, "kernel");
            requirePositive(stride, "stride");
            requirePositive(groups, "groups");
            requirePositive(dilation, "dilation");
            long reach = (long) (kernel - 1) * dilation;
            if (reach % 2 != 0) {
                throw new IllegalArgumentException("SAME padding needs an odd effective kernel, got kernel " + kernel
                        + " with dilation " + dilation);
            }
            if (reach / 2 > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("kernel " + kernel + " with dilation " + dilation + " needs a padding"
                        + " of " + reach / 2 + ", more than 2^31 - 1");
            }
        }

        /** The zeros added before (and after) each spatial dim. */
        public int padding() {
            return (int) ((long) (kernel - 1) * dilation / 2);
        }
    }

    /** A fully connected layer with bias. */
    record Dense(FeatureCount features) implements OpParams {
    }

    /**
     * Pooling over square windows without padding (out = (size − window) / stride + 1); window 0 pools over all
     * spatial positions and drops the spatial dims ([B, C, H, W] to [B, C]).
     */
    record Pool(int window, int stride) implements OpParams {
        public Pool {
            if (window < 0) {
                throw new IllegalArgumentException("a pool window must be 0 (global) or positive, got " + window);
            }
            requirePositive(stride, "stride");
            if (window == 0 && stride != 1) {
                throw new IllegalArgumentException("a global pool has no stride, got " + stride);
            }
        }

        public boolean global() {
            return window == 0;
        }
    }

    record GroupNorm(int groups) implements OpParams {
        public GroupNorm {
            requirePositive(groups, "groups");
        }
    }

    /** The factor of a scalar multiplication. */
    record Scale(double factor) implements OpParams {
        public Scale {
            if (!Double.isFinite(factor)) {
                throw new IllegalArgumentException("a scale factor must be finite, got " + factor);
            }
        }
    }

    /** The fraction of elements a dropout zeroes while training. */
    record Dropout(double rate) implements OpParams {
        public Dropout {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("a dropout rate lies in [0, 1), got " + rate);
            }
        }
    }

    private static void requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException("a " + what + " must be positive, got " + value);
        }
    }
}
