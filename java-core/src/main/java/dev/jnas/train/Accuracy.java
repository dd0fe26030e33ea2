package dev.jnas.train;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.data.LabeledImages;

/** Classification accuracy of a net on labeled images, with batch norm in eval mode (running statistics). */
public final class Accuracy {
    private static final int EVAL_BATCH = 256;

    private Accuracy() {
    }

    /** The fraction of images whose arg-max logit is their label; the net is left in train mode. */
    public static double of(Engine engine, Net net, int input, LabeledImages data) {
        net.setTrain(false);
        int[] order = Shuffle.identity(data.count());
        long correct = 0;
        try (BatchTensors batch = new BatchTensors(engine, net, data.channels(), data.height(), data.width())) {
            for (int from = 0; from < data.count(); from += EVAL_BATCH) {
                int size = Math.min(EVAL_BATCH, data.count() - from);
                int[] labels = batch.load(data, order, from, size);
                net.bindInput(input, batch.images());
                net.forward(batch.logits());
                correct += engine.crossEntropy(batch.logits(), labels, 0f, null).correct();
            }
        } finally {
            net.setTrain(true);
        }
        return (double) correct / data.count();
    }
}
