package dev.jnas.search.sgnas;

import dev.jnas.data.FashionMnist;
import dev.jnas.data.LabeledImages;
import dev.jnas.space.mbconv.MbconvLayout;

/** A supernet small enough for unit tests on real Fashion-MNIST images, and the images. */
final class SgnasFixture {
    static final MbconvLayout LAYOUT = MbconvLayout.cifar(1, 28, 10).scaled(0.125, new int[] {1, 1, 1, 1, 1, 1});

    private SgnasFixture() {
    }

    /** The first count training images. */
    static LabeledImages images(int count) {
        return FashionMnist.atDefaultLocation().load(count, 1).train();
    }

    /** A listener that stops training with an exception at (epoch, step): a crash after that step. */
    static final class CrashAt extends RuntimeException implements SupernetTrainer.Listener, GeneratorTrainer.Listener {
        private final int epoch;
        private final int step;

        CrashAt(int epoch, int step) {
            super("crash at epoch " + epoch + ", step " + step);
            this.epoch = epoch;
            this.step = step;
        }

        @Override
        public void onStep(int epoch, int step, int steps, double loss) {
            if (epoch == this.epoch && step == this.step) {
                throw this;
            }
        }

        @Override
        public void onEpoch(SupernetTrainer.Epoch epoch) {
        }

        @Override
        public void onEpoch(GeneratorTrainer.Epoch epoch) {
        }
    }

    /** A listener that never crashes. */
    static final CrashAt NEVER = new CrashAt(-1, -1);
}
