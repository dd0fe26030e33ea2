package dev.jnas.bench;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.GraphMacs;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.ParamRole;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.space.nb201.Nb201Architecture;
import dev.jnas.space.nb201.Nb201Network;
import dev.jnas.space.nb201.Nb201Skeleton;

/**
 * TE-NAS's two networks for {@link Shapes#CELL} as the metrics build them (PyTorch-default init, train-mode batch
 * norm), with a bound Gaussian input: the κ network on batch×3×32×32 images and the thin region network on
 * batch×1×3×3 patches.
 */
record Nb201Nets(Net net, Tensor input, GraphMacs macs) implements AutoCloseable {
    private static final int CLASSES = 10;

    static Nb201Nets kappa(Engine engine, int batch) {
        return build(engine, Nb201Skeleton.NTK, 3, 32, batch);
    }

    static Nb201Nets regions(Engine engine, int batch) {
        return build(engine, Nb201Skeleton.LINEAR_REGIONS, 1, 3, batch);
    }

    private static Nb201Nets build(Engine engine, Nb201Skeleton skeleton, int channels, int size, int batch) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = new Nb201Network(Nb201Architecture.parse(Shapes.CELL), skeleton).build(graph, channels,
                    size, size, CLASSES);
            Net net = Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, 0);
            net.setTrain(true);
            Tensor input = engine.tensor(batch, channels, size, size);
            input.fillNormal(1, 0, 0f, 1f);
            net.bindInput(model.input(), input);
            return new Nb201Nets(net, input, graph.macs(model.output()));
        }
    }

    /** The NTK's Jacobian width: the values of every weight and batch-norm gamma (its default columns). */
    long jacobianWidth() {
        long width = 0;
        for (int p = 0; p < net.paramCount(); p++) {
            ParamRole role = net.paramRole(p);
            if (role == ParamRole.WEIGHT || role == ParamRole.BN_WEIGHT) {
                width += net.paramNumel(p);
            }
        }
        return width;
    }

    @Override
    public void close() {
        net.close();
        input.close();
    }
}
