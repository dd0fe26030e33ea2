package dev.jnas.search.compress;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.ParamRole;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A {@link CompressibleModel} compiled on an engine, with its cost: the multiply-accumulates per sample
 * (jnas_graph_macs: convolutions and linear layers) and the learned parameters.
 */
public final class ModelNet implements AutoCloseable {
    /** What counts as a model parameter: weights, biases and batch-norm γ, β (not running statistics or switches). */
    private static final Set<ParamRole> COUNTED = EnumSet.of(ParamRole.WEIGHT, ParamRole.BIAS, ParamRole.BN_WEIGHT,
            ParamRole.BN_BIAS);

    private final CompressibleModel model;
    private final boolean gated;
    private final Net net;
    private final int input;
    private final long macs;

    private ModelNet(CompressibleModel model, boolean gated, Net net, int input, long macs) {
        this.model = model;
        this.gated = gated;
        this.net = net;
        this.input = input;
        this.macs = macs;
    }

    /** Compiles the model (gated or not) with PyTorch's default initialization from seed. */
    public static ModelNet compile(Engine engine, CompressibleModel model, boolean gated, long seed) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            CompressibleModel.Nodes nodes = model.build(graph, gated);
            long macs = graph.macs(nodes.output()).total();
            Net net = Net.compile(engine, graph, nodes.output(), Init.PYTORCH_DEFAULT, seed);
            return new ModelNet(model, gated, net, nodes.input(), macs);
        }
    }

    public CompressibleModel model() {
        return model;
    }

    public boolean gated() {
        return gated;
    }

    public Net net() {
        return net;
    }

    /** The input node to bind images to. */
    public int input() {
        return input;
    }

    /** Multiply-accumulates per sample. */
    public long macs() {
        return macs;
    }

    /** The number of learned scalars: weights, biases and batch-norm γ and β (switches and buffers excluded). */
    public long parameters() {
        long count = 0;
        for (int p = 0; p < net.paramCount(); p++) {
            if (COUNTED.contains(net.paramRole(p))) {
                count += net.paramNumel(p);
            }
        }
        return count;
    }

    /** The indices of the trainable parameters that are not switches. */
    public int[] weightParameters() {
        return IntStream.range(0, net.paramCount())
                .filter(p -> net.isTrainable(p) && net.paramRole(p) != ParamRole.FREE)
                .toArray();
    }

    /** The switch parameter of unit layer l (gated nets only). */
    public int gateParameter(int layer) {
        if (!gated) {
            throw new IllegalStateException("model " + model.name() + " was compiled without switches");
        }
        return net.findParam(model.gateName(layer));
    }

    @Override
    public void close() {
        net.close();
    }
}
