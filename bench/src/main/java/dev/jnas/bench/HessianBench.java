package dev.jnas.bench;

import java.util.concurrent.TimeUnit;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
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
 * BayesNAS's diagonal-Hessian pass against a plain backward pass over the same forward of a small CNN (conv 3×3
 * → BN → ReLU → avg pool, twice, at 16 then 32 channels on 32×32 inputs, global pool, linear; batch 64): the issue
 * asks the Hessian pass to cost at most twice the backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HessianBench {
    private static final int BATCH = 64;

    private Engine engine;
    private Net net;
    private Tensor input;
    private Tensor logits;
    private Tensor seed;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engine.open(Backend.CPU);
        try (GraphBuilder graph = GraphBuilder.create()) {
            int[] io = smallCnn(graph, 16, 32, 32);
            net = Net.compile(engine, graph, io[1], Init.KAIMING_NORMAL_FAN_IN, 0);
            input = engine.tensor(BATCH, 3, 32, 32);
            input.fillNormal(1, 0, 0f, 1f);
            net.bindInput(io[0], input);
        }
        logits = engine.tensor(BATCH, 10);
        seed = engine.tensor(BATCH, 10);
        net.forward(logits);
        engine.crossEntropyHessianDiag(logits, seed);
    }

    /**
     * The small CNN into graph for size×size RGB inputs: conv 3×3 → BN → ReLU → avg pool 2 at width1 then width2
     * channels, global pool, linear to 10 classes. Returns {input node, logits node}.
     */
    static int[] smallCnn(GraphBuilder graph, int width1, int width2, int size) {
        int x = graph.input(3, size, size);
        int a = graph.avgPool(graph.relu(graph.batchNorm("bn1", graph.conv2d("conv1", x, width1, 3, 1, 1))), 2, 2, 0,
                true);
        int b = graph.avgPool(graph.relu(graph.batchNorm("bn2", graph.conv2d("conv2", a, width2, 3, 1, 1))), 2, 2, 0,
                true);
        return new int[] {x, graph.linear("fc", graph.globalAvgPool(b), 10)};
    }

    /** One forward then one backward (the backward needs a forward since the last backward). */
    @Benchmark
    public void forwardBackward() {
        net.forward(logits);
        net.backward(seed);
    }

    /** One forward then one Hessian-diagonal pass. */
    @Benchmark
    public void forwardHessian() {
        net.forward(logits);
        net.hessianDiag(seed);
    }

    /** The forward alone, to subtract from both. */
    @Benchmark
    public void forward() {
        net.forward(logits);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        seed.close();
        logits.close();
        input.close();
        net.close();
        engine.close();
    }
}
