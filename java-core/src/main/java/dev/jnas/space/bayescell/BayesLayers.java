package dev.jnas.space.bayescell;

import dev.jnas.bindings.GraphBuilder;

/**
 * BayesNAS's layers as graph fragments, pre-activation as in the reference (BN → ReLU → conv). Batch norms are
 * PyTorch's BatchNorm2d and convolutions have no bias. A block called name puts its parts under it: "name.bn",
 * "name.dw" / "name.pw" (one separable conv; sep ops have "name.sep0" and "name.sep1"), "name.conv" / "name.pw"
 * (dilated conv), "name.bn" / "name.conv" (reducing identity, CReduct), "name.reduce" (CReduct's stride-2 conv).
 */
final class BayesLayers {
    /** The stem's channels are this multiple of C. */
    static final int STEM_MULTIPLIER = 3;
    private static final int DILATION = 2;
    private static final int POOL_KERNEL = 3;

    private BayesLayers() {
    }

    /** conv 3x3 (pad 1) to channels → BN. */
    static int stem(GraphBuilder graph, String name, int x, int channels) {
        return graph.batchNorm(name + ".bn", graph.conv2d(name + ".conv", x, channels, 3, 1, 1));
    }

    /**
     * The reference's CReduct: [conv 1x1 stride 2 keeping the channels, when the input has twice the cell's
     * resolution] → BN → ReLU → conv 1x1 to the cell's channels.
     */
    static int cReduct(GraphBuilder graph, String name, int x, int channels, boolean halveResolution) {
        int in = x;
        if (halveResolution) {
            in = graph.conv2d(name + ".reduce", x, (int) graph.nodeShape(x)[0], 1, 2, 0);
        }
        int activated = graph.relu(graph.batchNorm(name + ".bn", in));
        return graph.conv2d(name + ".conv", activated, channels, 1, 1, 0);
    }

    /**
     * One op on an edge of the given channels.
     *
     * @param stride 1, or 2 on a reduction cell's edges from its inputs (on the first conv, or the pool)
     */
    static int op(GraphBuilder graph, String name, BayesOp op, int x, int channels, int stride) {
        return switch (op) {
            case SEP_CONV_3X3 -> dualSepConv(graph, name, x, channels, 3, stride);
            case SEP_CONV_5X5 -> dualSepConv(graph, name, x, channels, 5, stride);
            case DIL_CONV_3X3 -> dilConv(graph, name, x, channels, 3, stride);
            case DIL_CONV_5X5 -> dilConv(graph, name, x, channels, 5, stride);
            // The reference pads with explicit zeros, so its border windows also see 0; the engine ignores the
            // padding as PyTorch's own max pooling does.
            case MAX_POOL_3X3 -> graph.maxPool(x, POOL_KERNEL, stride, POOL_KERNEL / 2);
            // The reference pads with zeros explicitly before pooling, so the padding counts in the average.
            case AVG_POOL_3X3 -> graph.avgPool(x, POOL_KERNEL, stride, POOL_KERNEL / 2, true);
            case IDENTITY -> stride == 1 ? x
                    : graph.conv2d(name + ".conv", graph.batchNorm(name + ".bn", x), channels, 1, stride, 0);
        };
    }

    /** BN → ReLU → depthwise conv k×k (stride, pad k/2) → pointwise conv 1x1. */
    private static int sepConv(GraphBuilder graph, String name, int x, int channels, int kernel, int stride) {
        int activated = graph.relu(graph.batchNorm(name + ".bn", x));
        int depthwise = graph.conv2d(name + ".dw", activated, channels, kernel, kernel, stride, kernel / 2, 1,
                channels, false);
        return graph.conv2d(name + ".pw", depthwise, channels, 1, 1, 0);
    }

    /** Two separable convs, the stride on the first. */
    private static int dualSepConv(GraphBuilder graph, String name, int x, int channels, int kernel, int stride) {
        int first = sepConv(graph, name + ".sep0", x, channels, kernel, stride);
        return sepConv(graph, name + ".sep1", first, channels, kernel, 1);
    }

    /**
     * BN → ReLU → dense (one group) conv k×k with dilation 2 (pad k - 1 keeps the size) → pointwise conv 1x1: the
     * reference's real dilated conv. (Its Hessian pass uses an "equivalent" dense filter with only one slice
     * filled; that is a slip of that pass, not of the op.)
     */
    private static int dilConv(GraphBuilder graph, String name, int x, int channels, int kernel, int stride) {
        int activated = graph.relu(graph.batchNorm(name + ".bn", x));
        int dilated = graph.conv2d(name + ".conv", activated, channels, kernel, kernel, stride,
                DILATION * (kernel / 2), DILATION, 1, false);
        return graph.conv2d(name + ".pw", dilated, channels, 1, 1, 0);
    }

    /** BN → ReLU → global average pool → linear with bias (the reference's AvgPool(8) on its 8x8 maps). */
    static int head(GraphBuilder graph, String name, int x, int classes) {
        int activated = graph.relu(graph.batchNorm(name + ".bn", x));
        return graph.linear(name + ".linear", graph.globalAvgPool(activated), classes);
    }
}
