package dev.jnas.train;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import dev.jnas.data.LabeledImages;

/**
 * The tensors one mini-batch needs (images in, logits out, and the loss gradient), reused from batch to batch
 * and replaced only when the batch size changes (the last, partial batch).
 */
public final class BatchTensors implements AutoCloseable {
    private final Engine engine;
    private final Net net;
    private final long[] imageShape;
    private int batchSize;
    private Tensor images;
    private Tensor logits;
    private Tensor gradLogits;

    public BatchTensors(Engine engine, Net net, int channels, int height, int width) {
        this.engine = engine;
        this.net = net;
        this.imageShape = new long[] {0, channels, height, width};
    }

    /** Makes the tensors fit a batch of the given size. */
    public void resize(int size) {
        if (size == batchSize) {
            return;
        }
        close();
        imageShape[0] = size;
        images = engine.tensor(imageShape);
        logits = engine.tensor(net.outputShape(size));
        gradLogits = engine.tensor(logits.shape());
        batchSize = size;
    }

    /**
     * Fits the tensors to size images, writes the images order[from..from+size) of data into {@link #images()}, and
     * returns their labels.
     */
    public int[] load(LabeledImages data, int[] order, int from, int size) {
        resize(size);
        float[] pixels = new float[size * data.imageSize()];
        int[] labels = new int[size];
        data.gather(order, from, pixels, labels);
        images.write(pixels);
        return labels;
    }

    public Tensor images() {
        return images;
    }

    public Tensor logits() {
        return logits;
    }

    public Tensor gradLogits() {
        return gradLogits;
    }

    @Override
    public void close() {
        for (Tensor tensor : new Tensor[] {images, logits, gradLogits}) {
            if (tensor != null) {
                tensor.close();
            }
        }
        images = null;
        logits = null;
        gradLogits = null;
        batchSize = 0;
    }
}
