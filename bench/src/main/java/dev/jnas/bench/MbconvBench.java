package dev.jnas.bench;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.space.mbconv.MbconvArchitecture;
import dev.jnas.space.mbconv.MbconvLayout;
import dev.jnas.space.mbconv.MbconvModel;
import java.util.Collections;
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
 * An MBConv path of {@link SgnasBench}'s supernet layout as its stand-alone network: every layer at expansion 6
 * with one depthwise kernel size (3 or 7) in all six sub-blocks, forward + backward on a batch of 64 Fashion-MNIST
 * shaped inputs. FLOPs: {@link Shapes#trainingFlops} of the path's convolutions (depthwise included).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MbconvBench {
    @Param({"3", "7"})
    public String kernel;

    private Engine engine;
    private Net net;
    private Tensor input;
    private Tensor logits;
    private Tensor gradLogits;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engine.open(Backend.CPU);
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = MbconvModel.build(graph, SgnasBench.LAYOUT, architecture(kernel));
            net = Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, 0);
            input = engine.tensor(Shapes.BATCH, SgnasBench.LAYOUT.inputChannels(), SgnasBench.LAYOUT.imageSize(),
                    SgnasBench.LAYOUT.imageSize());
            input.fillNormal(1, 0, 0f, 1f);
            net.bindInput(model.input(), input);
        }
        net.setTrain(true);
        logits = engine.tensor(Shapes.BATCH, 10);
        gradLogits = engine.tensor(Shapes.BATCH, 10);
        gradLogits.fillNormal(2, 0, 0f, 1f);
    }

    /** Every layer's six sub-blocks at the given kernel size, e.g. "333333|333333|...". */
    static MbconvArchitecture architecture(String kernel) {
        int layers = SgnasBench.LAYOUT.layerCount();
        String layer = kernel.repeat(MbconvLayout.SUB_BLOCKS);
        return MbconvArchitecture.parse(String.join("|", Collections.nCopies(layers, layer)), layers);
    }

    @Benchmark
    public void forwardBackward() {
        net.forward(logits);
        net.backward(gradLogits);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gradLogits.close();
        logits.close();
        input.close();
        net.close();
        engine.close();
    }

    static double flops(String kernel) {
        return Shapes.trainingFlops(MbconvModel.macs(SgnasBench.LAYOUT, architecture(kernel)), Shapes.BATCH);
    }
}
