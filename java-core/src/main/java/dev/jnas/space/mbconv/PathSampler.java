package dev.jnas.space.mbconv;

import static dev.jnas.space.mbconv.MbconvLayout.MIN_SAMPLED_EXPANSION;
import static dev.jnas.space.mbconv.MbconvLayout.SUB_BLOCKS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The fair path sampling of SGNAS's supernet training. Per layer, the expansion cycles through a shuffled list
 * of {@value MbconvLayout#MIN_SAMPLED_EXPANSION}..{@value MbconvLayout#SUB_BLOCKS} (each value once per cycle,
 * reshuffled when the cycle is used up); sub-block 0 and e − 1 of the other five, drawn at random, are active;
 * every active sub-block takes the next kernel of its own cycle through shuffled permutations of 3, 5, 7. The
 * same seed gives the same paths.
 *
 * <p>Two departures from the reference's code. Sub-block 0 is always among the active ones: every layer is
 * static, so no architecture the generator can produce skips it, and paths that skip it would train the supernet
 * on paths that are never evaluated. And the cycles run on across optimizer steps, where the reference reshuffles
 * them at the start of every step (of 4 paths), so here any 5 consecutive paths of a layer hold each expansion
 * exactly once.
 */
public final class PathSampler {
    private final SplittableRandom random;
    /** [layer] */
    private final List<ShuffledCycle<Integer>> expansions = new ArrayList<>();
    /** [layer][sub-block] */
    private final List<List<ShuffledCycle<SubBlockChoice>>> kernels = new ArrayList<>();

    public PathSampler(MbconvLayout layout, long seed) {
        Objects.requireNonNull(layout, "layout");
        random = new SplittableRandom(seed);
        List<Integer> expansionValues = IntStream.rangeClosed(MIN_SAMPLED_EXPANSION, SUB_BLOCKS).boxed().toList();
        for (int l = 0; l < layout.layerCount(); l++) {
            expansions.add(new ShuffledCycle<>(expansionValues));
            List<ShuffledCycle<SubBlockChoice>> layerKernels = new ArrayList<>();
            for (int b = 0; b < SUB_BLOCKS; b++) {
                layerKernels.add(new ShuffledCycle<>(SubBlockChoice.KERNELS));
            }
            kernels.add(layerKernels);
        }
    }

    /** The next training path. */
    public MbconvArchitecture next() {
        SubBlockChoice[][] choices = new SubBlockChoice[expansions.size()][];
        for (int l = 0; l < choices.length; l++) {
            boolean[] active = activeSubBlocks(expansions.get(l).next(random), random);
            choices[l] = new SubBlockChoice[SUB_BLOCKS];
            for (int b = 0; b < SUB_BLOCKS; b++) {
                choices[l][b] = active[b] ? kernels.get(l).get(b).next(random) : SubBlockChoice.SKIP;
            }
        }
        return new MbconvArchitecture(choices);
    }

    /**
     * A random architecture as the reference's prior pool draws them: per layer an expansion uniform in
     * {@value MbconvLayout#MIN_SAMPLED_EXPANSION}..{@value MbconvLayout#SUB_BLOCKS}, that many leading sub-blocks
     * with kernels uniform over 3, 5, 7, and the rest skip (the reference's encoding of a kernel list).
     */
    public static MbconvArchitecture random(MbconvLayout layout, SplittableRandom random) {
        SubBlockChoice[][] choices = new SubBlockChoice[layout.layerCount()][SUB_BLOCKS];
        for (SubBlockChoice[] layer : choices) {
            int expansion = random.nextInt(MIN_SAMPLED_EXPANSION, SUB_BLOCKS + 1);
            Arrays.fill(layer, SubBlockChoice.SKIP);
            for (int b = 0; b < expansion; b++) {
                layer[b] = SubBlockChoice.KERNELS.get(random.nextInt(SubBlockChoice.KERNELS.size()));
            }
        }
        return new MbconvArchitecture(choices);
    }

    /** Sub-block 0 and expansion − 1 others drawn without replacement (a partial Fisher-Yates shuffle). */
    private static boolean[] activeSubBlocks(int expansion, SplittableRandom random) {
        int[] others = IntStream.range(1, SUB_BLOCKS).toArray();
        boolean[] active = new boolean[SUB_BLOCKS];
        active[0] = true;
        for (int i = 0; i < expansion - 1; i++) {
            int j = random.nextInt(i, others.length);
            int drawn = others[j];
            others[j] = others[i];
            others[i] = drawn;
            active[drawn] = true;
        }
        return active;
    }

    /** Hands out the values of a list in shuffled order, reshuffling each time all have been handed out. */
    private static final class ShuffledCycle<T> {
        private final List<T> values;
        private final List<T> order = new ArrayList<>();
        private int position;

        ShuffledCycle(List<T> values) {
            this.values = List.copyOf(values);
        }

        T next(SplittableRandom random) {
            if (position == order.size()) {
                reshuffle(random);
            }
            return order.get(position++);
        }

        private void reshuffle(SplittableRandom random) {
            order.clear();
            order.addAll(values);
            for (int i = order.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                T swapped = order.get(i);
                order.set(i, order.get(j));
                order.set(j, swapped);
            }
            position = 0;
        }
    }
}
