package dev.jnas.search.bayesnas;

import dev.jnas.data.LabeledImages;
import dev.jnas.space.bayescell.BayesLayout;
import dev.jnas.space.bayescell.CellTopology;
import java.util.SplittableRandom;

/** A supernet and data small enough for unit tests: C = 2, one cell per stage, 8x8 noise images of 3 classes. */
final class TinySearch {
    static final BayesLayout LAYOUT = BayesLayout.stacked(2, 1, CellTopology.PUBLIC_CODE_8, 1, 8, 3);

    private TinySearch() {
    }

    /** count images of standard normal pixels, labels cycling through the classes. */
    static LabeledImages images(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = LAYOUT.imageSize() * LAYOUT.imageSize();
        float[] pixels = new float[count * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % LAYOUT.classes();
        }
        return new LabeledImages(count, 1, LAYOUT.imageSize(), LAYOUT.imageSize(), LAYOUT.classes(), pixels, labels);
    }
}
