package dev.jnas.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Builds a device-independent graph ({@code jnas_graph}) node by node. Every method returns the new node's
 * id; libjnas checks that the inputs exist and their shapes fit, and throws otherwise. Shapes are per sample
 * (no batch dimension). Ops with parameters take a name, unique per graph: their parameters are called
 * "name.weight", "name.bias" (and "name.running_mean" / "name.running_var" for batch norm).
 */
public final class GraphBuilder extends NativeHandle {
    /** PyTorch's BatchNorm2d defaults. */
    public static final float BN_EPS = 1e-5f;
    public static final float BN_MOMENTUM = 0.1f;

    /** Flax's LayerNorm and GroupNorm default epsilon. */
    public static final float NORM_EPS = 1e-6f;

    private static final int BN_AFFINE = 1;
    private static final int BN_TRACK_RUNNING = 2;

    private GraphBuilder(JnasNative lib, MemorySegment graph) {
        super(lib, graph, null);
    }

    public static GraphBuilder create() {
        JnasNative lib = JnasNative.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            lib.check(lib.graphCreate(out));
            return new GraphBuilder(lib, out.get(ADDRESS, 0));
        }
    }

    public int nodeCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            lib.check(lib.graphNodeCount(address(), out));
            return out.get(JAVA_INT, 0);
        }
    }

    /**
     * Multiply-accumulates per sample of everything {@code output} depends on: every conv2d (output elements ·
     * kernel area · input channels / groups) and every linear layer. All branches of a mixed edge count.
     */
    public GraphMacs macs(int output) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment conv = arena.allocate(JAVA_LONG);
            MemorySegment linear = arena.allocate(JAVA_LONG);
            lib.check(lib.graphMacs(address(), output, conv, linear));
            return new GraphMacs(conv.get(JAVA_LONG, 0), linear.get(JAVA_LONG, 0));
        }
    }

    /** The per-sample shape of a node (1 to 3 dims). */
    public long[] nodeShape(int node) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ndim = arena.allocate(JAVA_INT);
            MemorySegment shape = arena.allocate(JAVA_LONG, Tensor.MAX_DIMS);
            lib.check(lib.graphNodeShape(address(), node, ndim, shape));
            return Arrays.copyOf(shape.toArray(JAVA_LONG), ndim.get(JAVA_INT, 0));
        }
    }

    /** A batched input of per-sample shape (1 to 3 dims), e.g. {1, 28, 28}. */
    public int input(long... shape) {
        long[] dims = requireShape(shape);
        return node((arena, out) -> lib.graphInput(address(), dims.length, arena.allocateFrom(JAVA_LONG, dims), out));
    }

    /**
     * A free, unbatched parameter (e.g. mixing weights), initialized by init when the net is compiled.
     *
     * @param trainable false makes it a buffer: no gradient, no optimizer update
     */
    public int param(String name, long[] shape, Init init, boolean trainable) {
        long[] dims = requireShape(shape);
        return node((arena, out) -> lib.graphParam(address(), name(arena, name), dims.length,
                arena.allocateFrom(JAVA_LONG, dims), Arguments.notNull(init, "init").code(), trainable ? 1 : 0, out));
    }

    /** A square convolution with dilation 1, one group and no bias (the usual conv before batch norm). */
    public int conv2d(String name, int x, int outChannels, int kernel, int stride, int padding) {
        return conv2d(name, x, outChannels, kernel, kernel, stride, padding, 1, 1, false);
    }

    public int conv2d(String name, int x, int outChannels, int kernelH, int kernelW, int stride, int padding,
                      int dilation, int groups, boolean bias) {
        return node((arena, out) -> lib.graphConv2d(address(), name(arena, name), x, outChannels, kernelH, kernelW,
                stride, padding, dilation, groups, bias ? 1 : 0, out));
    }

    /** Affine batch norm with running statistics and PyTorch's eps and momentum. */
    public int batchNorm(String name, int x) {
        return batchNorm(name, x, true, true, BN_EPS, BN_MOMENTUM);
    }

    /**
     * @param affine        learnable gamma ("name.weight") and beta ("name.bias")
     * @param trackRunning  keep running mean/var for eval mode (else eval uses batch statistics too)
     */
    public int batchNorm(String name, int x, boolean affine, boolean trackRunning, float eps, float momentum) {
        int flags = (affine ? BN_AFFINE : 0) | (trackRunning ? BN_TRACK_RUNNING : 0);
        return node((arena, out) -> lib.graphBatchNorm(address(), name(arena, name), x, flags, eps, momentum, out));
    }

    public int relu(int x) {
        return activation(x, Activation.RELU);
    }

    public int relu6(int x) {
        return activation(x, Activation.RELU6);
    }

    /** x · relu6(x + 3) / 6 */
    public int hswish(int x) {
        return activation(x, Activation.HSWISH);
    }

    public int sigmoid(int x) {
        return activation(x, Activation.SIGMOID);
    }

    /** x · sigmoid(x) */
    public int swish(int x) {
        return activation(x, Activation.SWISH);
    }

    /** GELU's tanh approximation (Flax's default), see {@link Activation#GELU}. */
    public int gelu(int x) {
        return activation(x, Activation.GELU);
    }

    public int activation(int x, Activation kind) {
        int code = Arguments.notNull(kind, "kind").code();
        return node((arena, out) -> lib.graphActivation(address(), x, code, out));
    }

    /** @param countIncludePad whether padded zeros count in the average (PyTorch's default is true) */
    public int avgPool(int x, int kernel, int stride, int padding, boolean countIncludePad) {
        return node((arena, out) -> lib.graphAvgPool(address(), x, kernel, stride, padding,
                countIncludePad ? 1 : 0, out));
    }

    public int maxPool(int x, int kernel, int stride, int padding) {
        return node((arena, out) -> lib.graphMaxPool(address(), x, kernel, stride, padding, out));
    }

    /** [C, H, W] to [C]. */
    public int globalAvgPool(int x) {
        return node((arena, out) -> lib.graphGlobalAvgPool(address(), x, out));
    }

    /** A fully connected layer with bias; flattens its input per sample. */
    public int linear(String name, int x, int outFeatures) {
        return linear(name, x, outFeatures, true);
    }

    public int linear(String name, int x, int outFeatures, boolean bias) {
        return node((arena, out) -> lib.graphLinear(address(), name(arena, name), x, outFeatures, bias ? 1 : 0, out));
    }

    public int add(int a, int b) {
        return node((arena, out) -> lib.graphAdd(address(), a, b, out));
    }

    /** Concatenation along channels of nodes whose other dims agree. */
    public int concat(int... nodes) {
        int[] ids = requireNodes(nodes, "nodes");
        return node((arena, out) -> lib.graphConcat(address(), ids.length, arena.allocateFrom(JAVA_INT, ids), out));
    }

    /** factor · x */
    public int scale(int x, float factor) {
        return node((arena, out) -> lib.graphScale(address(), x, factor, out));
    }

    /** Zeros shaped like x subsampled by stride (the NB201/DARTS "none" op); carries no gradient. */
    public int zero(int x, int stride) {
        return node((arena, out) -> lib.graphZero(address(), x, stride, out));
    }

    /** The mixed edge Σ_k w[k] · ops[k], computing every branch. */
    public int mixed(int[] ops, int weights) {
        return mixed(ops, weights, Float.NEGATIVE_INFINITY);
    }

    /**
     * The mixed edge Σ_k w[k] · ops[k]; weights is a node holding ops.length values. Branches whose weight
     * is <= threshold are neither computed nor differentiated.
     */
    public int mixed(int[] ops, int weights, float threshold) {
        int[] ids = requireNodes(ops, "ops");
        return node((arena, out) -> lib.graphMixed(address(), ids.length, arena.allocateFrom(JAVA_INT, ids), weights,
                threshold, out));
    }

    /**
     * x ([C, H, W]) moved by whole pixels: out[c][h][w] = x[c][h + dy][w + dx] where that lies inside x, else 0.
     * DARTS's FactorizedReduce reads its second path through shift(x, 1, 1).
     */
    public int shift(int x, int dy, int dx) {
        return node((arena, out) -> lib.graphShift(address(), x, dy, dx, out));
    }

    /** Softmax over the channels (dim 0) at each position: per pixel for [C, H, W], over the vector for [C]. */
    public int softmax(int x) {
        return node((arena, out) -> lib.graphSoftmax(address(), x, out));
    }

    /** Layer norm with Flax's epsilon, see {@link #layerNorm(String, int, float)}. */
    public int layerNorm(String name, int x) {
        return layerNorm(name, x, NORM_EPS);
    }

    /**
     * Layer norm over the channels (dim 0) at each position, with the statistics of each sample alone, then a
     * learnable gamma ("name.weight") and beta ("name.bias") per channel.
     */
    public int layerNorm(String name, int x, float eps) {
        return node((arena, out) -> lib.graphLayerNorm(address(), name(arena, name), x, eps, out));
    }

    /** Group norm with Flax's epsilon, see {@link #groupNorm(String, int, int, float)}. */
    public int groupNorm(String name, int x, int groups) {
        return groupNorm(name, x, groups, NORM_EPS);
    }

    /**
     * Group norm: the channels in {@code groups} consecutive groups (groups must divide them), each normalized over
     * its channels and all positions of the sample, then gamma and beta per channel as {@link #layerNorm}.
     */
    public int groupNorm(String name, int x, int groups, float eps) {
        return node((arena, out) -> lib.graphGroupNorm(address(), name(arena, name), x, groups, eps, out));
    }

    /** [C, H, W] to [C], the maximum of each channel. */
    public int globalMaxPool(int x) {
        return node((arena, out) -> lib.graphGlobalMaxPool(address(), x, out));
    }

    /** Any per-sample shape to one dim of all its values in order ({@link #linear} flattens on its own). */
    public int flatten(int x) {
        return node((arena, out) -> lib.graphFlatten(address(), x, out));
    }

    /**
     * a ⊙ b, where b is either a batched node of a's shape or an unbatched node (a {@link #param}, typically) of C
     * values, C = a's first dim, that scales a's channels: a per-filter or per-neuron gate. Both get gradients;
     * the Hessian-diagonal pass supports the gate form only.
     */
    public int mul(int a, int b) {
        return node((arena, out) -> lib.graphMul(address(), a, b, out));
    }

    /**
     * Inverted dropout with probability p in [0, 1): while the net trains, each element is zeroed with probability p
     * and the rest scaled by 1/(1 − p), a fresh mask per forward ({@link Net#setRandom}); in eval mode the identity.
     */
    public int dropout(int x, float p) {
        return node((arena, out) -> lib.graphDropout(address(), x, p, out));
    }

    /** A jnas_graph_* builder call, given a scratch arena and the slot for the new node id. */
    @FunctionalInterface
    private interface BuilderCall {
        int call(Arena arena, MemorySegment out);
    }

    /** Runs one builder call, checks its status and returns the new node id. */
    private int node(BuilderCall call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            lib.check(call.call(arena, out));
            return out.get(JAVA_INT, 0);
        }
    }

    private static MemorySegment name(Arena arena, String name) {
        return arena.allocateFrom(Arguments.notNull(name, "name"));
    }

    private static long[] requireShape(long[] shape) {
        return Arguments.notNull(shape, "shape").clone();
    }

    private static int[] requireNodes(int[] nodes, String name) {
        return Arguments.notNull(nodes, name).clone();
    }

    @Override
    String describe() {
        return "GraphBuilder";
    }

    @Override
    void free(MemorySegment graph) {
        lib.graphFree(graph);
    }
}
