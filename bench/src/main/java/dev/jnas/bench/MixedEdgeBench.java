package dev.jnas.bench;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.GraphMacs;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One NB201 supernet edge at the search's first-stage shape (C = {@value #CHANNELS}, 32×32, batch 64): the mixed
 * edge Σ_k w_k·op_k(x) over skip, ReLU-conv 1×1-BN, ReLU-conv 3×3-BN and avg pool 3×3 with trainable weights
 * w = 1/4, forward alone and forward + backward (gradients of the weights, the mixing weights and the input).
 * FLOPs: the two convolutions' ({@link Shapes#forwardFlops}, {@link Shapes#trainingFlops}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MixedEdgeBench {
    static final int CHANNELS = 16;

    private Engine engine;
    private Net net;
    private Tensor input;
    private Tensor output;
    private Tensor gradOutput;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engine.open(Backend.CPU);
        try (GraphBuilder graph = GraphBuilder.create()) {
            int[] io = build(graph);
            net = Net.compile(engine, graph, io[1], Init.PYTORCH_DEFAULT, 0);
            input = engine.tensor(Shapes.BATCH, CHANNELS, Shapes.SIZE, Shapes.SIZE);
            input.fillNormal(1, 0, 0f, 1f);
            net.bindInput(io[0], input);
        }
        float[] uniform = new float[4];
        Arrays.fill(uniform, 0.25f);
        net.writeParam(net.findParam("mix"), uniform);
        net.setTrain(true);
        output = engine.tensor(Shapes.BATCH, CHANNELS, Shapes.SIZE, Shapes.SIZE);
        gradOutput = engine.tensor(Shapes.BATCH, CHANNELS, Shapes.SIZE, Shapes.SIZE);
        gradOutput.fillNormal(2, 0, 0f, 1f);
    }

    /** The edge into graph: {input node, output node}. */
    private static int[] build(GraphBuilder graph) {
        int x = graph.input(CHANNELS, Shapes.SIZE, Shapes.SIZE);
        int weights = graph.param("mix", new long[] {4}, Init.ZEROS, true);
        int conv1 = graph.batchNorm("conv1.bn", graph.conv2d("conv1.conv", graph.relu(x), CHANNELS, 1, 1, 0));
        int conv3 = graph.batchNorm("conv3.bn", graph.conv2d("conv3.conv", graph.relu(x), CHANNELS, 3, 1, 1));
        int pool = graph.avgPool(x, 3, 1, 1, false);
        return new int[] {x, graph.mixed(new int[] {x, conv1, conv3, pool}, weights)};
    }

    @Benchmark
    public void forward() {
        net.forward(output);
    }

    @Benchmark
    public void forwardBackward() {
        net.forward(output);
        net.backward(gradOutput);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gradOutput.close();
        output.close();
        input.close();
        net.close();
        engine.close();
    }

    /** The convolutions' multiply-adds per sample. */
    static GraphMacs macs() {
        try (GraphBuilder graph = GraphBuilder.create()) {
            return graph.macs(build(graph)[1]);
        }
    }
}
