package dev.jnas.space.program;

/**
 * The output features (channels) of a conv or dense op: a fixed count, or a count relative to the op's input
 * features (×2, ×4, ÷2, ÷4: the reference's "S:-1*2", "S:-1%4") so that a synthesized op fits wherever it is
 * spliced. Written "64", "*2" or "/4".
 */
public sealed interface FeatureCount {

    /** The count for an op whose input has inputFeatures features; opName names the op in errors. */
    int resolve(int inputFeatures, String opName);

    /** Exactly count features. */
    record Absolute(int count) implements FeatureCount {
        public Absolute {
            if (count < 1) {
                throw new IllegalArgumentException("a feature count must be positive, got " + count);
            }
        }

        @Override
        public int resolve(int inputFeatures, String opName) {
            return count;
        }

        @Override
        public String toString() {
            return Integer.toString(count);
        }
    }

    /** inputFeatures · multiplier / divisor, where one of the two is 1 and the division must be exact. */
    record Relative(int multiplier, int divisor) implements FeatureCount {
        public Relative {
            if (multiplier < 1 || divisor < 1 || (multiplier != 1 && divisor != 1)) {
                throw new IllegalArgumentException("a relative feature count multiplies or divides by a positive"
                        + " factor, got *" + multiplier + "/" + divisor);
            }
        }

        @Override
        public int resolve(int inputFeatures, String opName) {
            if (inputFeatures % divisor != 0) {
                throw new IllegalArgumentException("op '" + opName + "': " + inputFeatures
                        + " input features are not divisible by " + divisor);
            }
            long features = (long) inputFeatures * multiplier / divisor;
            if (features > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("op '" + opName + "': " + inputFeatures + " input features times "
                        + multiplier + " exceed 2^31 - 1");
            }
            return (int) features;
        }

        @Override
        public String toString() {
            return multiplier != 1 ? "*" + multiplier : divisor != 1 ? "/" + divisor : "*1";
        }
    }

    static FeatureCount of(int count) {
        return new Absolute(count);
    }

    /** As many features as the input: the reference's "S:-1". */
    static FeatureCount same() {
        return new Relative(1, 1);
    }

    static FeatureCount times(int multiplier) {
        return new Relative(multiplier, 1);
    }

    static FeatureCount dividedBy(int divisor) {
        return new Relative(1, divisor);
    }

    /** Parses "64", "*2" or "/4" (the {@link #toString()} forms). */
    static FeatureCount parse(String text) {
        try {
            if (text.startsWith("*")) {
                return times(Integer.parseInt(text.substring(1)));
            }
            if (text.startsWith("/")) {
                return dividedBy(Integer.parseInt(text.substring(1)));
            }
            return of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a feature count is written 64, *2 or /4, got '" + text + "'", e);
        }
    }
}
