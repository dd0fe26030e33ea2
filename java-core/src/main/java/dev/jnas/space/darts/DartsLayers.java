package dev.jnas.space.darts;

import dev.jnas.bindings.GraphBuilder;

/**
 * The DARTS ops as graph fragments, as TE-NAS's cell operations define them. Batch norms are PyTorch's
 * BatchNorm2d (affine, running statistics, eps 1e-5, momentum 0.1) and convolutions have no bias. A block
 * called name puts its parts under it: "name.conv", "name.bn" (stem, ReLUConvBN), "name.dw" / "name.pw" / "name.bn"
 * (one separable conv), "name.sep0" / "name.sep1" (the two of sep_conv), "name.conv0" / "name.conv1" / "name.bn"
 * (FactorizedReduce).
 */
final class DartsLayers {
    private DartsLayers() {
    }

    /** conv (kernel, stride, pad kernel/2) → BN: the stem at kernel 3. */
    static int convBn(GraphBuilder graph, String name, int x, int channels, int kernel, int stride) {
        int conv = graph.conv2d(name + ".conv", x, channels, kernel, stride, kernel / 2);
        return graph.batchNorm(name + ".bn", conv);
    }

    /** ReLU → conv → BN: the cells' preprocessing at kernel 1 (the reference's ReLUConvBN). */
    static int reluConvBn(GraphBuilder graph, String name, int x, int channels, int kernel, int stride) {
        return convBn(graph, name, graph.relu(x), channels, kernel, stride);
    }

    /**
     * ReLU → concat(conv 1x1 s2 of x, conv 1x1 s2 of x one pixel down and right) → BN: halves the resolution
     * without dropping every other pixel. The first conv gives channels/2 outputs, the second the rest. The
     * reference pads x by a zero row and column at the bottom and right and crops the top row and left column,
     * which is the shift by (1, 1).
     */
    static int factorizedReduce(GraphBuilder graph, String name, int x, int channels) {
        int activated = graph.relu(x);
        int first = graph.conv2d(name + ".conv0", activated, channels / 2, 1, 2, 0);
        int second = graph.conv2d(name + ".conv1", graph.shift(activated, 1, 1), channels - channels / 2, 1, 2, 0);
        return graph.batchNorm(name + ".bn", graph.concat(first, second));
    }

    /**
     * ReLU → depthwise conv (kernel, stride, padding, dilation; one group per channel) → pointwise conv 1x1 →
     * BN: the reference's SepConv, dil_conv by itself.
     */
    static int sepConv(GraphBuilder graph, String name, int x, int channelsIn, int channelsOut, int kernel, int stride,
                       int padding, int dilation) {
        int depthwise = graph.conv2d(name + ".dw", graph.relu(x), channelsIn, kernel, kernel, stride, padding,
                dilation, channelsIn, false);
        int pointwise = graph.conv2d(name + ".pw", depthwise, channelsOut, 1, 1, 0);
        return graph.batchNorm(name + ".bn", pointwise);
    }

    /**
     * One op on a cell edge, from channels to channels (every DARTS cell edge keeps the channels, so the pools
     * need no ReLUConvBN before them).
     *
     * @param stride 1, or 2 on a reduction cell's edges from its inputs
     */
    static int op(GraphBuilder graph, String name, DartsOp op, int x, int channels, int stride) {
        return switch (op) {
            case NONE -> throw new IllegalArgumentException("'none' is never built: it is no candidate of a cell edge");
            case SKIP_CONNECT -> stride == 1 ? x : factorizedReduce(graph, name, x, channels);
            case SEP_CONV_3X3 -> dualSepConv(graph, name, x, channels, 3, stride);
            case SEP_CONV_5X5 -> dualSepConv(graph, name, x, channels, 5, stride);
            case DIL_CONV_3X3 -> sepConv(graph, name, x, channels, channels, 3, stride, 2, 2);
            case DIL_CONV_5X5 -> sepConv(graph, name, x, channels, channels, 5, stride, 4, 2);
            case AVG_POOL_3X3 -> graph.avgPool(x, 3, stride, 1, false);
            case MAX_POOL_3X3 -> graph.maxPool(x, 3, stride, 1);
        };
    }

    /** sep_conv (the reference's DualSepConv): two separable convs, the stride on the first only. */
    private static int dualSepConv(GraphBuilder graph, String name, int x, int channels, int kernel, int stride) {
        int first = sepConv(graph, name + ".sep0", x, channels, channels, kernel, stride, kernel / 2, 1);
        return sepConv(graph, name + ".sep1", first, channels, channels, kernel, 1, kernel / 2, 1);
    }

    /** BN → ReLU → global average pool → linear with bias: the reference's lastact and classifier. */
    static int head(GraphBuilder graph, String name, int x, int classes) {
        int activated = graph.relu(graph.batchNorm(name + ".bn", x));
        return graph.linear(name + ".linear", graph.globalAvgPool(activated), classes);
    }
}
