package dev.jnas.search.compress;

/**
 * One convolution layer of a {@link CompressibleModel}: channels filters of kernel×kernel (stride 1) with the given
 * zero padding, batch norm or a bias, then ReLU and optionally a 2×2 max pool.
 */
public record ConvStage(int channels, int kernel, int padding, boolean batchNorm, boolean pool) {
    public ConvStage {
        if (channels < 1 || kernel < 1 || padding < 0) {
            throw new IllegalArgumentException("a conv stage needs channels >= 1, kernel >= 1 and padding >= 0, got "
                    + channels + ", " + kernel + " and " + padding);
        }
    }

    /** The same stage with another number of filters. */
    public ConvStage withChannels(int count) {
        return new ConvStage(count, kernel, padding, batchNorm, pool);
    }
}
