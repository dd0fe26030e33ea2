package dev.jnas.space.program;

/**
 * The op vocabulary of program graphs (αNAS's, less the attention, einsum and reshape family). Each type fixes
 * how many tensors it reads and which {@link OpParams} it carries.
 */
public enum OpType {
    /** A 2-D convolution over [B, C, H, W] with SAME padding. */
    CONV(1, OpParams.Conv.class),
    /** A fully connected layer over [B, F]. */
    DENSE(1, OpParams.Dense.class),
    ADD(2, OpParams.None.class),
    /** The element-wise product of two tensors of one shape. */
    MUL(2, OpParams.None.class),
    /** factor · x */
    SCALAR_MUL(1, OpParams.Scale.class),
    RELU(1, OpParams.None.class),
    GELU(1, OpParams.None.class),
    /** x · sigmoid(x) */
    SWISH(1, OpParams.None.class),
    SIGMOID(1, OpParams.None.class),
    /** Softmax over the channel/feature dim (dim 1). */
    SOFTMAX(1, OpParams.None.class),
    /** Per-channel batch normalization. */
    BATCH_NORM(1, OpParams.None.class),
    /** Normalization over the channel/feature dim (dim 1) at each batch and spatial position. */
    LAYER_NORM(1, OpParams.None.class),
    /** Normalization over each group of channels together with all spatial positions. */
    GROUP_NORM(1, OpParams.GroupNorm.class),
    /** Average pooling: a local window, or (window 0) the mean over all spatial positions. */
    AVG_POOL(1, OpParams.Pool.class),
    /** Max pooling: a local window, or (window 0) the maximum over all spatial positions. */
    MAX_POOL(1, OpParams.Pool.class),
    /** [B, C, H, W] to [B, C·H·W], row-major. */
    FLATTEN(1, OpParams.None.class),
    /** Zeroes a fraction (the rate) of the elements while training. */
    DROPOUT(1, OpParams.Dropout.class),
    IDENTITY(1, OpParams.None.class);

    private final int arity;
    private final Class<? extends OpParams> paramsType;

    OpType(int arity, Class<? extends OpParams> paramsType) {
        this.arity = arity;
        this.paramsType = paramsType;
    }

    /** How many input tensors an op of this type reads. */
    public int arity() {
        return arity;
    }

    /** The kind of parameters an op of this type carries. */
    public Class<? extends OpParams> paramsType() {
        return paramsType;
    }
}
