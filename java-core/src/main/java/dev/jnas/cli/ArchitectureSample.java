package dev.jnas.cli;

import dev.jnas.space.nb201.Nb201Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded random sample of distinct NB201 cells, drawn over the canonical ordinals so that it needs no
 * table and is the same for a seed everywhere.
 */
final class ArchitectureSample {
    /** Keeps the sample's generator apart from the scoring streams that use the same seed. */
    private static final long SAMPLE_SALT = 0x5A4D504C45L;

    private ArchitectureSample() {
    }

    static List<Nb201Architecture> draw(int size, long seed) {
        if (size < 1 || size > Nb201Architecture.COUNT) {
            throw new IllegalArgumentException("--sample must be between 1 and " + Nb201Architecture.COUNT + ", got "
                    + size);
        }
        int[] ordinals = new int[Nb201Architecture.COUNT];
        for (int i = 0; i < ordinals.length; i++) {
            ordinals[i] = i;
        }
        // The first size steps of a Fisher-Yates shuffle: a uniform sample without replacement, in draw order.
        Random random = new Random(seed ^ SAMPLE_SALT);
        List<Nb201Architecture> sample = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(ordinals.length - i);
            int chosen = ordinals[j];
            ordinals[j] = ordinals[i];
            ordinals[i] = chosen;
            sample.add(Nb201Architecture.fromOrdinal(chosen));
        }
        return sample;
    }
}
