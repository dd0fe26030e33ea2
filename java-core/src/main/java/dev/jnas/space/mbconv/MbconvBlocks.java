package dev.jnas.space.mbconv;

import dev.jnas.bindings.GraphBuilder;

/**
 * The graph fragments the supernet and the stand-alone model share, with their parameter names. A block called
 * name puts its conv at "name.conv" and its batch norm at "name.bn" (PyTorch's BatchNorm2d); convs have no bias
 * and pad kernel/2. Sub-block b of layer l is "layer{l}.block{b}" in both networks, so a stand-alone model's
 * expand and depthwise parameters have the names of the supernet sub-blocks they come from.
 */
final class MbconvBlocks {
    private MbconvBlocks() {
    }

    /** conv → BN. */
    static int convBn(GraphBuilder graph, String name, int x, int channels, int kernel, int stride, int groups) {
        int conv = graph.conv2d(name + ".conv", x, channels, kernel, kernel, stride, kernel / 2, 1, groups, false);
        return graph.batchNorm(name + ".bn", conv);
    }

    /** conv → BN → ReLU6. */
    static int convBnRelu6(GraphBuilder graph, String name, int x, int channels, int kernel, int stride, int groups) {
        return graph.relu6(convBn(graph, name, x, channels, kernel, stride, groups));
    }

    /**
     * The fixed front: the stem conv 3x3 with its BN and ReLU6, then the first MBConv of expansion 1 (depthwise 3x3
     * with BN and ReLU6, then conv 1x1 with BN to the first out channels; no residual).
     */
    static int front(GraphBuilder graph, MbconvLayout layout, int input) {
        int stemChannels = layout.stemChannels();
        int stem = convBnRelu6(graph, "stem", input, stemChannels, 3, layout.stemStride(), 1);
        int depthwise = convBnRelu6(graph, "first.dw", stem, stemChannels, 3, 1, stemChannels);
        return convBn(graph, "first.project", depthwise, layout.firstOutChannels(), 1, 1, 1);
    }

    /** Sub-block b's share of the expand conv: 1x1 from the layer's C input channels to C, BN, ReLU6. */
    static int expand(GraphBuilder graph, LayerSpec layer, int subBlock, int x) {
        return convBnRelu6(graph, subBlockName(layer, subBlock) + ".expand", x, layer.inChannels(), 1, 1, 1);
    }

    /** Sub-block b's depthwise conv of the given kernel with the layer's stride, BN, ReLU6. */
    static int depthwise(GraphBuilder graph, LayerSpec layer, int subBlock, SubBlockChoice kernel, int x) {
        String name = subBlockName(layer, subBlock) + ".k" + kernel.kernel();
        int channels = layer.inChannels();
        return convBnRelu6(graph, name, x, channels, kernel.kernel(), layer.stride(), channels);
    }

    /** The projection conv 1x1 to the layer's output channels, without BN (each network adds its own). */
    static int project(GraphBuilder graph, LayerSpec layer, int x) {
        return graph.conv2d(layer.name() + ".project.conv", x, layer.outChannels(), 1, 1, 0);
    }

    /** y, plus the layer's input where the layer is residual. */
    static int residual(GraphBuilder graph, LayerSpec layer, int x, int y) {
        return layer.residual() ? graph.add(y, x) : y;
    }

    /** The head conv 1x1 with BN and ReLU6, global average pooling, and the linear classifier with bias. */
    static int head(GraphBuilder graph, MbconvLayout layout, int x) {
        int features = convBnRelu6(graph, "head", x, layout.headChannels(), 1, 1, 1);
        return graph.linear("classifier", graph.globalAvgPool(features), layout.classes());
    }

    private static String subBlockName(LayerSpec layer, int subBlock) {
        return layer.name() + ".block" + subBlock;
    }
}
