package dev.jnas.space.bayescell;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import java.util.function.Function;

/** A compiled BayesNAS network with a bound batch of normal noise; the engine closes the net. */
record CompiledNet(Net net, BayesGraph nodes, Tensor images) {
    static final long SEED = 11;

    /**
     * Compiles what build puts into a fresh graph, with output the logits, or cell index's output when
     * cellOutput >= 0, and binds a batch of batch noise images.
     */
    static CompiledNet of(Engine engine, BayesLayout layout, Function<GraphBuilder, BayesGraph> build, int batch,
                          int cellOutput) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            BayesGraph nodes = build.apply(graph);
            int output = cellOutput < 0 ? nodes.output() : nodes.cellOutputs().get(cellOutput);
            Net net = Net.compile(engine, graph, output, Init.PYTORCH_DEFAULT, SEED);
            Tensor images = engine.tensor(batch, layout.inputChannels(), layout.imageSize(), layout.imageSize());
            images.fillNormal(SEED, 0, 0f, 1f);
            net.bindInput(nodes.input(), images);
            return new CompiledNet(net, nodes, images);
        }
    }

    static CompiledNet supernet(Engine engine, BayesLayout layout, int batch, int cellOutput) {
        return of(engine, layout, graph -> BayesSupernet.build(graph, layout), batch, cellOutput);
    }

    float[] forward() {
        try (Tensor out = net.forward()) {
            return out.read();
        }
    }

    void write(String parameter, float... values) {
        net.writeParam(net.findParam(parameter), values);
    }

    /** Sets one element of a parameter. */
    void set(SwitchSlot slot, float value) {
        int index = net.findParam(slot.parameter());
        float[] values = net.readParam(index);
        values[slot.index()] = value;
        net.writeParam(index, values);
    }
}
