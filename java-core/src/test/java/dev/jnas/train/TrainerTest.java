package dev.jnas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.data.FashionMnist;
import dev.jnas.data.LabeledImages;
import dev.jnas.data.Splits;
import dev.jnas.models.SmallCnn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End to end on the real Fashion-MNIST: libjnas, bindings, data, model and trainer together. */
class TrainerTest {
    private static final TrainConfig ONE_EPOCH = new TrainConfig(1, 64, OptimizerKind.ADAM, 1e-3f, 0);

    private static Splits fashion;

    @BeforeAll
    static void load() {
        fashion = FashionMnist.atDefaultLocation().load(10_000, 0);
    }

    @Test
    void smallCnnReaches80PercentAfterOneEpochOn10kImages() {
        try (Engine engine = Engine.open(Backend.CPU)) {
            long start = System.nanoTime();
            TrainResult result = new Trainer(engine, ONE_EPOCH).train(new SmallCnn(), fashion, new TrainListener() { });
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats epoch = result.last();
            System.out.printf("small-cnn, 1 epoch on 10k Fashion-MNIST: test accuracy %.2f%%, loss %.4f, %.1f s%n",
                    100 * epoch.testAccuracy(), epoch.trainLoss(), seconds);
            assertTrue(epoch.testAccuracy() >= 0.80, "test accuracy " + epoch.testAccuracy());
            assertTrue(result.stepLosses()[0] > result.stepLosses()[result.stepLosses().length - 1]);
        }
    }

    /** Same seed, same data: the same losses bit for bit (a cheap run of 20 steps, twice). */
    @Test
    void sameSeedGivesBitIdenticalLosses() {
        Splits small = new Splits(first(fashion.train(), 20 * 32), first(fashion.test(), 256), fashion.normalization());
        TrainConfig config = new TrainConfig(1, 32, OptimizerKind.SGD, 0.05f, 42);
        float[] first;
        float[] second;
        try (Engine engine = Engine.open(Backend.CPU)) {
            first = new Trainer(engine, config).train(new SmallCnn(), small, new TrainListener() { }).stepLosses();
        }
        try (Engine engine = Engine.open(Backend.CPU)) {
            second = new Trainer(engine, config).train(new SmallCnn(), small, new TrainListener() { }).stepLosses();
        }
        assertArrayEquals(first, second, "losses differ: " + Arrays.toString(first) + " vs " + Arrays.toString(second));
        TrainConfig otherSeed = new TrainConfig(1, 32, OptimizerKind.SGD, 0.05f, 43);
        try (Engine engine = Engine.open(Backend.CPU)) {
            float[] third = new Trainer(engine, otherSeed).train(new SmallCnn(), small, new TrainListener() { })
                    .stepLosses();
            assertTrue(!Arrays.equals(first, third), "another seed gave the same losses");
        }
    }

    private static LabeledImages first(LabeledImages images, int count) {
        return new LabeledImages(count, images.channels(), images.height(), images.width(), images.classes(),
                Arrays.copyOf(images.pixels(), count * images.imageSize()), Arrays.copyOf(images.labels(), count));
    }
}
