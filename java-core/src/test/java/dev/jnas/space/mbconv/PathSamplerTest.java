package dev.jnas.space.mbconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PathSamplerTest {
    private static final MbconvLayout LAYOUT = MbconvLayout.cifar(3, 32, 10);
    private static final int CYCLES = 40;
    private static final int EXPANSIONS = MbconvLayout.SUB_BLOCKS - MbconvLayout.MIN_SAMPLED_EXPANSION + 1;

    /** Over 5·k paths every expansion 2..6 appears exactly k times in every layer. */
    @Test
    void everyExpansionAppearsOncePerCycle() {
        List<MbconvArchitecture> paths = sample(new PathSampler(LAYOUT, 3), EXPANSIONS * CYCLES);
        for (int l = 0; l < LAYOUT.layerCount(); l++) {
            int[] counts = new int[MbconvLayout.SUB_BLOCKS + 1];
            for (int step = 0; step < paths.size(); step++) {
                counts[paths.get(step).expansion(l)]++;
                if ((step + 1) % EXPANSIONS == 0) {
                    for (int e = MbconvLayout.MIN_SAMPLED_EXPANSION; e <= MbconvLayout.SUB_BLOCKS; e++) {
                        assertEquals((step + 1) / EXPANSIONS, counts[e], "layer " + l + ", expansion " + e);
                    }
                }
            }
            assertEquals(0, counts[0] + counts[1], "layer " + l + " sampled an expansion below 2");
        }
    }

    /**
     * Each sub-block takes its kernels in cycles of the three, so after any number of activations their counts
     * differ by at most one; sub-block 0 is always active, and each other sub-block is sometimes active, sometimes
     * skipped.
     */
    @Test
    void kernelsAreBalancedPerSubBlock() {
        List<MbconvArchitecture> paths = sample(new PathSampler(LAYOUT, 4), EXPANSIONS * CYCLES);
        for (int l = 0; l < LAYOUT.layerCount(); l++) {
            for (int b = 0; b < MbconvLayout.SUB_BLOCKS; b++) {
                int[] counts = new int[MbconvLayout.CHOICES];
                for (MbconvArchitecture path : paths) {
                    counts[path.choice(l, b).ordinal()]++;
                    int min = IntStream.of(counts).limit(3).min().orElseThrow();
                    int max = IntStream.of(counts).limit(3).max().orElseThrow();
                    assertTrue(max - min <= 1, "layer " + l + ", sub-block " + b + ": K3/K5/K7 counts "
                            + counts[0] + "/" + counts[1] + "/" + counts[2]);
                }
                int skipped = counts[SubBlockChoice.SKIP.ordinal()];
                if (b == 0) {
                    assertEquals(0, skipped);
                } else {
                    assertTrue(skipped > 0 && skipped < paths.size(), "layer " + l + ", sub-block " + b
                            + " skipped " + skipped + " times of " + paths.size());
                }
            }
        }
    }

    @Test
    void sameSeedSamePaths() {
        List<MbconvArchitecture> first = sample(new PathSampler(LAYOUT, 9), 30);
        assertEquals(first, sample(new PathSampler(LAYOUT, 9), 30));
        assertNotEquals(first, sample(new PathSampler(LAYOUT, 10), 30));
    }

    /** The prior pool's architectures: expansion 2..6 filled from sub-block 0, every expansion and kernel occurs. */
    @Test
    void randomArchitecturesFillTheLeadingSubBlocks() {
        SplittableRandom random = new SplittableRandom(1);
        int[] expansions = new int[MbconvLayout.SUB_BLOCKS + 1];
        int[] kernels = new int[MbconvLayout.CHOICES];
        for (int draw = 0; draw < 200; draw++) {
            MbconvArchitecture architecture = PathSampler.random(LAYOUT, random);
            assertEquals(LAYOUT.layerCount(), architecture.layerCount());
            for (int l = 0; l < architecture.layerCount(); l++) {
                int expansion = architecture.expansion(l);
                expansions[expansion]++;
                for (int b = 0; b < MbconvLayout.SUB_BLOCKS; b++) {
                    SubBlockChoice choice = architecture.choice(l, b);
                    assertEquals(b >= expansion, choice == SubBlockChoice.SKIP, architecture.toString());
                    kernels[choice.ordinal()]++;
                }
            }
        }
        assertEquals(0, expansions[0] + expansions[1]);
        for (int e = MbconvLayout.MIN_SAMPLED_EXPANSION; e <= MbconvLayout.SUB_BLOCKS; e++) {
            assertTrue(expansions[e] > 0, "expansion " + e + " never drawn");
        }
        for (SubBlockChoice kernel : SubBlockChoice.KERNELS) {
            assertTrue(kernels[kernel.ordinal()] > 0, kernel + " never drawn");
        }
        assertEquals(PathSampler.random(LAYOUT, new SplittableRandom(7)),
                PathSampler.random(LAYOUT, new SplittableRandom(7)));
    }

    private static List<MbconvArchitecture> sample(PathSampler sampler, int count) {
        List<MbconvArchitecture> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            paths.add(sampler.next());
        }
        return paths;
    }
}
