package dev.jnas.search.sgnas;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.data.LabeledImages;
import dev.jnas.space.mbconv.MbconvArchitecture;
import dev.jnas.space.mbconv.MbconvLayout;
import dev.jnas.space.mbconv.MbconvSupernet;
import dev.jnas.space.mbconv.SupernetPath;
import dev.jnas.train.Accuracy;

/**
 * The unified supernet compiled on an engine, with its path selector: what both SGNAS stages (supernet training,
 * then generator training against the frozen supernet) and {@code jnas generate} work on.
 */
public final class SupernetNet implements AutoCloseable {
    private final Engine engine;
    private final Net net;
    private final MbconvSupernet graph;
    private final SupernetPath path;
    private boolean frozen;

    private SupernetNet(Engine engine, Net net, MbconvSupernet graph) {
        this.engine = engine;
        this.net = net;
        this.graph = graph;
        this.path = SupernetPath.resolve(net, graph.layout());
    }

    /** Builds and compiles the supernet of layout, weights initialized as PyTorch's defaults from seed. */
    public static SupernetNet compile(Engine engine, MbconvLayout layout, long seed) {
        try (GraphBuilder builder = GraphBuilder.create()) {
            MbconvSupernet graph = MbconvSupernet.build(builder, layout);
            Net net = Net.compile(engine, builder, graph.output(), Init.PYTORCH_DEFAULT, seed);
            try {
                return new SupernetNet(engine, net, graph);
            } catch (RuntimeException e) {
                net.close();
                throw e;
            }
        }
    }

    public Net net() {
        return net;
    }

    public MbconvLayout layout() {
        return graph.layout();
    }

    public int input() {
        return graph.input();
    }

    /** Selects an architecture's single path. */
    public void apply(MbconvArchitecture architecture) {
        path.apply(net, architecture);
    }

    /** Selects a soft architecture: every branch above the threshold runs, weighted by its probability. */
    public void apply(float[] p) {
        path.apply(net, p);
    }

    /** dLoss/dp of the backward passes since the last zeroGrad (needs {@link #freeze()}). */
    public float[] mixingGradients() {
        return path.readMixingGradients(net);
    }

    /**
     * Prepares the generator stage: batch norm in eval mode (running statistics), weights frozen (no weight
     * gradients are computed), mixing weights trainable so that backward passes give dLoss/dp.
     */
    public void freeze() {
        net.setTrain(false);
        path.freezeWeights(net);
        path.setMixingTrainable(net, true);
        frozen = true;
    }

    /** The held-out accuracy of an architecture's path, with batch norm in eval mode. */
    public double accuracy(MbconvArchitecture architecture, LabeledImages data) {
        apply(architecture);
        double accuracy = Accuracy.of(engine, net, input(), data);
        net.setTrain(!frozen);
        return accuracy;
    }

    @Override
    public void close() {
        net.close();
    }
}
