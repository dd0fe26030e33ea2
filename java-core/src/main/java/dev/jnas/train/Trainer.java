package dev.jnas.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.jnas.bindings.CrossEntropyResult;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Optimizer;
import dev.jnas.data.LabeledImages;
import dev.jnas.data.Splits;
import dev.jnas.models.ModelBuilder;
import dev.jnas.models.ModelGraph;

/**
 * Mini-batch training of a classifier on an engine: each epoch visits the training images in an order shuffled
 * by a generator seeded from the config's seed, then measures test accuracy with batch norm in eval mode. The
 * same seed, data and engine give the same step losses bit for bit.
 */
public final class Trainer {
    private final Engine engine;
    private final TrainConfig config;

    public Trainer(Engine engine, TrainConfig config) {
        this.engine = engine;
        this.config = config;
    }

    public TrainResult train(ModelBuilder model, Splits data, TrainListener listener) {
        LabeledImages train = data.train();
        ModelGraph nodes;
        Net net;
        try (GraphBuilder graph = GraphBuilder.create()) {
            nodes = model.build(graph, train.channels(), train.height(), train.width(), train.classes());
            net = Net.compile(engine, graph, nodes.output(), Init.PYTORCH_DEFAULT, config.seed());
        }
        try (net;
             Optimizer optimizer = config.optimizer().create(net, config.learningRate());
             BatchTensors batch = new BatchTensors(engine, net, train.channels(), train.height(), train.width())) {
            SplittableRandom shuffler = new SplittableRandom(config.seed());
            int steps = Math.ceilDiv(train.count(), config.batchSize());
            float[] stepLosses = new float[steps * config.epochs()];
            List<EpochStats> epochs = new ArrayList<>();
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                int[] order = Shuffle.permutation(train.count(), shuffler);
                double lossSum = 0;
                long correct = 0;
                net.setTrain(true);
                for (int step = 0; step < steps; step++) {
                    int from = step * config.batchSize();
                    int size = Math.min(config.batchSize(), train.count() - from);
                    CrossEntropyResult result = step(net, nodes.input(), optimizer, batch, train, order, from, size);
                    stepLosses[(epoch - 1) * steps + step] = result.loss();
                    lossSum += (double) result.loss() * size;
                    correct += result.correct();
                    listener.onStep(epoch, step + 1, steps, result.loss());
                }
                double testAccuracy = accuracy(net, nodes.input(), data.test());
                EpochStats stats = new EpochStats(epoch, lossSum / train.count(), (double) correct / train.count(),
                        testAccuracy, (System.nanoTime() - start) / 1e9);
                epochs.add(stats);
                listener.onEpoch(stats);
            }
            return new TrainResult(epochs, stepLosses);
        }
    }

    private CrossEntropyResult step(Net net, int input, Optimizer optimizer, BatchTensors batch, LabeledImages data,
                                    int[] order, int from, int size) {
        int[] labels = batch.load(data, order, from, size);
        net.bindInput(input, batch.images());
        net.forward(batch.logits());
        CrossEntropyResult result = engine.crossEntropy(batch.logits(), labels, 0f, batch.gradLogits());
        net.zeroGrad();
        net.backward(batch.gradLogits());
        optimizer.step();
        return result;
    }

    /** The fraction of images whose arg-max logit is their label, with batch norm in eval mode. */
    public double accuracy(Net net, int input, LabeledImages data) {
        return Accuracy.of(engine, net, input, data);
    }
}
