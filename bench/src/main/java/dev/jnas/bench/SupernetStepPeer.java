package dev.jnas.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jnas.bench.BenchTable.Row;
import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.GraphMacs;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Optimizer;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.search.tenas.OpMask;
import dev.jnas.search.tenas.PruningSpace;
import dev.jnas.space.nb201.Nb201PruningSpace;
import dev.jnas.space.nb201.Nb201Skeleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Peer workload (c): one training step of the NB201 supernet at the search width (C = {@value #CHANNELS}, N = 1:
 * stem, three mixed cells, two ResNet blocks; every edge mixing its 4 ops at fixed weights 1/4), on a batch of
 * {@value #BATCH} Gaussian 3×32×32 images with random labels: train-mode forward, mean cross-entropy, backward,
 * SGD (lr 0.025, momentum 0.9, weight decay 5e-4), on one engine of all the threads; and by
 * bench/peer/supernet_step.py. Each timed run is one step. FLOPs: {@link Shapes#trainingFlops} of every branch.
 */
final class SupernetStepPeer implements PeerWorkload {
    static final int CHANNELS = 16;
    static final int BATCH = 64;
    private static final int CLASSES = 10;

    private final PeerProtocol protocol;

    SupernetStepPeer(boolean quick) {
        this.protocol = quick ? new PeerProtocol(2, 5) : new PeerProtocol(3, 20);
    }

    @Override
    public Outcome measure(PythonPeer python, int threads) {
        JnasSteps jnas = trainJnas(threads);
        JsonNode torch = python.run("supernet_step.py", protocol, List.of("--batch", Integer.toString(BATCH),
                "--channels", Integer.toString(CHANNELS)));
        double torchSeconds = torch.get("seconds").asDouble();
        double flops = Shapes.trainingFlops(jnas.macs(), BATCH);
        String name = "NB201 supernet SGD step C=16 B=64";
        List<Row> rows = List.of(PeerWorkload.jnasRow(name + ": jnas", jnas.seconds(), flops, torchSeconds, ""),
                new Row(name + ": PyTorch", torchSeconds, flops, ""));
        String check = String.format(Locale.ROOT, "(c) loss at the first and last step: jnas %.4f, %.4f; "
                + "PyTorch %.4f, %.4f (ln 10 = 2.3026 at the start)", jnas.firstLoss(), jnas.lastLoss(),
                torch.get("first_loss").asDouble(), torch.get("last_loss").asDouble());
        return new Outcome(rows, check);
    }

    /** The median step time, the supernet's MACs per sample, and the loss of the first and the last step. */
    private record JnasSteps(double seconds, GraphMacs macs, float firstLoss, float lastLoss) {
    }

    private JnasSteps trainJnas(int threads) {
        Nb201PruningSpace space = new Nb201PruningSpace();
        try (Engine engine = Engine.open(Backend.CPU); GraphBuilder graph = GraphBuilder.create()) {
            engine.setThreads(threads);
            ModelGraph model = space.buildSupernet(graph, new Nb201Skeleton(CHANNELS, 1, 3, true), 3, 32, CLASSES);
            try (Net net = Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, 0);
                 Tensor images = engine.tensor(BATCH, 3, 32, 32); Tensor logits = engine.tensor(BATCH, CLASSES);
                 Tensor gradLogits = engine.tensor(BATCH, CLASSES);
                 Optimizer sgd = net.sgd(0.025f, 0.9f, 5e-4f, false)) {
                OpMask uniform = OpMask.full(1, space.edges(), space.ops().size());
                for (int e = 0; e < space.edges(); e++) {
                    net.writeParam(net.findParam(PruningSpace.alphaName(space.cellTypes().get(0), e)),
                            uniform.weights(0, e));
                }
                net.setTrain(true);
                images.fillNormal(1, 0, 0f, 1f);
                net.bindInput(model.input(), images);
                int[] labels = new SplittableRandom(0).ints(BATCH, 0, CLASSES).toArray();
                List<Float> losses = new ArrayList<>();
                PeerProtocol.Timed<List<Float>> steps = protocol.time(() -> {
                    net.forward(logits);
                    losses.add(engine.crossEntropy(logits, labels, 0f, gradLogits).loss());
                    net.zeroGrad();
                    net.backward(gradLogits);
                    sgd.step();
                    return losses;
                });
                return new JnasSteps(steps.seconds(), graph.macs(model.output()), losses.get(0),
                        losses.get(losses.size() - 1));
            }
        }
    }
}
