package dev.jnas.search.sgnas;

import static dev.jnas.search.sgnas.ArchitectureMap.COLUMNS;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;

/**
 * SGNAS's architecture generator as a graph: the reference's SinGAN-style fully convolutional network on the
 * L × {@value ArchitectureMap#COLUMNS} architecture map. Every conv is 3×3, stride 1, padding 1 (so the map
 * keeps its size), {@value #HIDDEN_WIDTH} channels wide, without bias and followed by ReLU, except the tail:
 * <pre>
 *   prior_y = bb_head(prior) + hc_head(constraint)     bb_head: 1→32→32, hc_head: 10→32→32→32
 *   y       = body(head(prior_y)) + prior_y            head: 32→32, body: 3 × 32→32
 *   logits  = tail(y)                                  tail: 32→1 with bias, no ReLU
 * </pre>
 * Per sample the prior is [1, L, 24], the constraint [{@value #CONSTRAINT_CHANNELS}, L, 24] (the normalised
 * target in every entry) and the logits [1, L, 24]. The reference's noise input is multiplied by 0 and omitted.
 *
 * @param prior      the input node of the prior architecture map
 * @param constraint the input node of the constraint map
 * @param logits     the output node
 */
public record GeneratorGraph(int prior, int constraint, int logits) {
    public static final int HIDDEN_WIDTH = 32;
    /** The reference's hc_dim: the normalised target is broadcast to this many channels. */
    public static final int CONSTRAINT_CHANNELS = 10;
    /** The reference initialises conv weights with N(0, 2/(k·k·out)) and biases with 0: this init. */
    public static final Init INIT = Init.KAIMING_NORMAL_FAN_OUT;

    private static final int KERNEL = 3;
    private static final int PADDING = 1;
    private static final int HC_HEAD_CONVS = 3;
    private static final int BB_HEAD_CONVS = 2;
    private static final int BODY_CONVS = 3;

    /** Adds the generator for layers searchable layers to graph. */
    public static GeneratorGraph build(GraphBuilder graph, int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("the generator needs at least 1 layer, got " + layers);
        }
        int prior = graph.input(1, layers, COLUMNS);
        int constraint = graph.input(CONSTRAINT_CHANNELS, layers, COLUMNS);
        int priorFeatures = convReluStack(graph, "bb_head", prior, BB_HEAD_CONVS);
        int constraintFeatures = convReluStack(graph, "hc_head", constraint, HC_HEAD_CONVS);
        int features = graph.add(priorFeatures, constraintFeatures);
        int body = convReluStack(graph, "body", convRelu(graph, "head", features), BODY_CONVS);
        int residual = graph.add(body, features);
        int logits = graph.conv2d("tail", residual, 1, KERNEL, KERNEL, 1, PADDING, 1, 1, true);
        return new GeneratorGraph(prior, constraint, logits);
    }

    /** count conv–ReLU blocks named name.0, name.1, ... */
    private static int convReluStack(GraphBuilder graph, String name, int x, int count) {
        for (int i = 0; i < count; i++) {
            x = convRelu(graph, name + "." + i, x);
        }
        return x;
    }

    private static int convRelu(GraphBuilder graph, String name, int x) {
        return graph.relu(graph.conv2d(name, x, HIDDEN_WIDTH, KERNEL, 1, PADDING));
    }
}
