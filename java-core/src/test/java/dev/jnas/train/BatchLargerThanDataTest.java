package dev.jnas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.data.LabeledImages;
import dev.jnas.data.Normalization;
import dev.jnas.data.Splits;
import dev.jnas.models.ModelGraph;
import org.junit.jupiter.api.Test;

/**
 * A batch larger than the training set is one step over all of it. Regression: at a batch of 2^31 - 1 the step
 * count overflowed to a negative number, so training silently did nothing and reported success.
 */
class BatchLargerThanDataTest {
    private static final int IMAGES = 6;

    @Test
    void theLargestBatchIsOneStepOverEveryImage() {
        float[] pixels = new float[IMAGES * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 5 - 2f;
        }
        LabeledImages images = new LabeledImages(IMAGES, 1, 2, 2, 2, pixels, new int[] {0, 1, 0, 1, 1, 0});
        Splits data = new Splits(images, images, new Normalization(0, 1));
        for (int batch : new int[] {IMAGES, IMAGES + 1, Integer.MAX_VALUE}) {
            try (Engine engine = Engine.open(Backend.CPU)) {
                TrainResult result = new Trainer(engine, new TrainConfig(2, batch, OptimizerKind.SGD, 0.1f, 0))
                        .train((graph, channels, height, width, classes) -> {
                            int input = graph.input(channels, height, width);
                            return new ModelGraph(input, graph.linear("fc", input, classes));
                        }, data, new TrainListener() { });
                assertEquals(2, result.stepLosses().length, "one step per epoch at batch " + batch);
            }
        }
    }
}
