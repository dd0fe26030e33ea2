package dev.jnas.bench;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * conv2d 3×3 pad 1, C→C channels, forward + backward (data and weight) at NB201 shapes: 32×32, batch 64.
 * FLOPs per operation: three GEMM-sized passes of 2·B·C·C·9·H·W each (see {@link Shapes#convFlops}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvBench {
    @Param({"3", "16", "64"})
    public int channels;

    private Engine engine;
    private Net net;
    private Tensor input;
    private Tensor output;
    private Tensor gradOutput;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engine.open(Backend.CPU);
        try (GraphBuilder graph = GraphBuilder.create()) {
            int x = graph.input(channels, Shapes.SIZE, Shapes.SIZE);
            int y = graph.conv2d("conv", x, channels, 3, 1, 1);
            net = Net.compile(engine, graph, y, Init.KAIMING_NORMAL_FAN_IN, 0);
        }
        input = engine.tensor(Shapes.BATCH, channels, Shapes.SIZE, Shapes.SIZE);
        input.fillNormal(1, 0, 0f, 1f);
        output = engine.tensor(Shapes.BATCH, channels, Shapes.SIZE, Shapes.SIZE);
        gradOutput = engine.tensor(Shapes.BATCH, channels, Shapes.SIZE, Shapes.SIZE);
        gradOutput.fillNormal(2, 0, 0f, 1f);
        net.bindInput(0, input);
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
}
