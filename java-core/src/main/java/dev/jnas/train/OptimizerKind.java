package dev.jnas.train;

import dev.jnas.bindings.Net;
import dev.jnas.bindings.Optimizer;

/** The optimizers the trainer offers, with the settings it uses besides the learning rate. */
public enum OptimizerKind {
    /** Adam with PyTorch's defaults. */
    ADAM {
        @Override
        Optimizer create(Net net, float learningRate) {
            return net.adam(learningRate);
        }
    },
    /** SGD with momentum 0.9, no weight decay. */
    SGD {
        @Override
        Optimizer create(Net net, float learningRate) {
            return net.sgd(learningRate, 0.9f, 0f, false);
        }
    };

    abstract Optimizer create(Net net, float learningRate);
}
