package dev.jnas.space.mbconv;

import dev.jnas.bindings.CrossEntropyResult;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import java.util.stream.IntStream;

/** A compiled network with a bound batch of normal noise and labels 0, 1, 2, ...: what the native tests run. */
record NetFixture(Engine engine, Net net, int input, Tensor images, int[] labels) {
    static final long SEED = 17;

    static NetFixture supernet(Engine engine, MbconvLayout layout, int batch) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            MbconvSupernet supernet = MbconvSupernet.build(graph, layout);
            Net net = Net.compile(engine, graph, supernet.output(), Init.PYTORCH_DEFAULT, SEED);
            return bind(engine, net, supernet.input(), layout, batch);
        }
    }

    static NetFixture model(Engine engine, MbconvLayout layout, MbconvArchitecture architecture, int batch) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            var model = MbconvModel.build(graph, layout, architecture);
            Net net = Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, SEED);
            return bind(engine, net, model.input(), layout, batch);
        }
    }

    private static NetFixture bind(Engine engine, Net net, int input, MbconvLayout layout, int batch) {
        Tensor images = engine.tensor(batch, layout.inputChannels(), layout.imageSize(), layout.imageSize());
        images.fillNormal(SEED, 0, 0f, 1f);
        net.bindInput(input, images);
        int[] labels = IntStream.range(0, batch).map(i -> i % layout.classes()).toArray();
        return new NetFixture(engine, net, input, images, labels);
    }

    float[] logits() {
        try (Tensor logits = net.forward()) {
            return logits.read();
        }
    }

    /** A forward pass and the cross-entropy (label smoothing as given) of the logits. */
    float loss(float smoothing) {
        try (Tensor logits = net.forward()) {
            return engine.crossEntropy(logits, labels, smoothing, null).loss();
        }
    }

    /** Forward, cross-entropy and backward from zeroed gradients; returns the loss. */
    float lossAndBackward(float smoothing) {
        net.zeroGrad();
        try (Tensor logits = net.forward(); Tensor gradient = engine.tensor(logits.shape())) {
            CrossEntropyResult result = engine.crossEntropy(logits, labels, smoothing, gradient);
            net.backward(gradient);
            return result.loss();
        }
    }
}
