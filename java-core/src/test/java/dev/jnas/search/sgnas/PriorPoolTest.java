package dev.jnas.search.sgnas;

import static dev.jnas.search.sgnas.ArchitectureMap.COLUMNS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PriorPoolTest {
    private static final TargetRange CIFAR = new TargetRange(80, 120);

    @TempDir
    Path directory;

    /**
     * interval = ⌊(high − low)/(size + 1)⌋, keys from low + interval while below high − 1: 270–450 size 1: 90,
     * [360]; 80–120 size 1: 20, [100]; size 3: 10, [90, 100, 110]; size 4: 8, [88, 96, 104, 112]; size 5: 6, six
     * keys 86..116 (more than the size, as in the reference).
     */
    @Test
    void keysFollowTheReferenceFormula() {
        assertArrayEquals(new double[] {360}, PriorPool.keys(new TargetRange(270, 450), 1));
        assertArrayEquals(new double[] {100}, PriorPool.keys(CIFAR, 1));
        assertArrayEquals(new double[] {90, 100, 110}, PriorPool.keys(CIFAR, 3));
        assertArrayEquals(new double[] {88, 96, 104, 112}, PriorPool.keys(CIFAR, 4));
        assertArrayEquals(new double[] {86, 92, 98, 104, 110, 116}, PriorPool.keys(CIFAR, 5));
    }

    @Test
    void aPoolThatDoesNotFitIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PriorPool.keys(new TargetRange(80, 81), 1));
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> PriorPool.keys(new TargetRange(80, 82), 1));
        assertTrue(noKey.getMessage().contains("no key"), noKey.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PriorPool.keys(CIFAR, 0));
    }

    /**
     * The sampler yields FLOPs 95, 89.2, 111, 101, 108.5, 110 (tagged 0..5 in entry 0) into one reused buffer;
     * with bias 1 the keys 90, 100, 110 take tags 1, 3 (exactly at the bias) and 5, after six draws.
     */
    @Test
    void eachKeyTakesTheFirstSampleWithinTheBias() {
        double[] flops = {95, 89.2, 111, 101, 108.5, 110};
        CountingSampler sampler = new CountingSampler();
        PriorPool pool = PriorPool.build(CIFAR, 3, sampler, architecture -> flops[(int) architecture[0]]);
        assertEquals(6, sampler.draws);
        assertEquals(1, pool.layers());
        assertArrayEquals(new double[] {90, 100, 110}, pool.keys());
        assertEquals(1f, pool.closest(90)[0]);
        assertEquals(3f, pool.closest(100)[0]);
        assertEquals(5f, pool.closest(110)[0]);
    }

    @Test
    void givingUpNamesTheKey() {
        CountingSampler sampler = new CountingSampler();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PriorPool.build(CIFAR, 1, sampler, architecture -> 0, 1, 5));
        assertEquals(5, sampler.draws);
        assertTrue(e.getMessage().contains("key 100.0") && e.getMessage().contains("5 tries"), e.getMessage());
    }

    /** Keys 90, 100, 110: the nearest key wins, the lower one on a tie; the result is a copy. */
    @Test
    void closestPicksTheNearestKey() {
        PriorPool pool = taggedPool(new double[] {90, 100, 110});
        assertEquals(0f, pool.closest(94.9)[0]);
        assertEquals(0f, pool.closest(95)[0]);
        assertEquals(1f, pool.closest(95.1)[0]);
        assertEquals(2f, pool.closest(1000)[0]);
        assertEquals(0f, pool.closest(-5)[0]);
        pool.closest(100)[0] = 42;
        assertEquals(1f, pool.closest(100)[0]);
    }

    @Test
    void jsonRoundTripKeepsEveryBit() throws IOException {
        float[] first = new float[2 * COLUMNS];
        float[] second = new float[2 * COLUMNS];
        for (int i = 0; i < first.length; i++) {
            first[i] = i % 4 == 0 ? 1 : 0;
            second[i] = (float) Math.sin(i) * 1e-3f;
        }
        second[7] = Float.MIN_VALUE;
        second[8] = -Float.MAX_VALUE;
        PriorPool pool = new PriorPool(new double[] {93.25, 104.1}, new float[][] {first, second});
        Path file = directory.resolve("pool.json");
        pool.save(file);
        PriorPool loaded = PriorPool.load(file);
        assertEquals(2, loaded.layers());
        assertArrayEquals(pool.keys(), loaded.keys());
        assertArrayEquals(bits(first), bits(loaded.prior(0)));
        assertArrayEquals(bits(second), bits(loaded.prior(1)));
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    static Stream<Arguments> corruptFiles() {
        String ones = "1" + ", 0".repeat(COLUMNS - 1);
        return Stream.of(
                Arguments.of("{\"layers\": 1, \"priors\": [{\"key\": 100, \"architecture\": [" + ones,
                        "expected ']' at character"),
                Arguments.of("{\"layers\": 1, \"prior\": []}", "expected the member \"priors\""),
                Arguments.of("{\"layers\": 1, \"priors\": [{\"key\": 100, \"architecture\": [1, 0]}]}",
                        "has 2 values but 1 layers need 24"),
                Arguments.of("{\"layers\": 1, \"priors\": [{\"key\": 100, \"architecture\": [" + ones + "]}, "
                        + "{\"key\": 90, \"architecture\": [" + ones + "]}]}", "strictly increasing"),
                Arguments.of("{\"layers\": 1, \"priors\": []}", "at least one"),
                Arguments.of("{\"layers\": 1.5, \"priors\": []}", "expected a whole number"),
                Arguments.of("{\"layers\": 1, \"priors\": [{\"key\": \"NaN\"", "expected a finite number"),
                Arguments.of("{\"layers\": 1, \"priors\": [{\"key\": 100, \"architecture\": [" + ones + "]}]} x",
                        "unexpected content after the end"));
    }

    @ParameterizedTest
    @MethodSource("corruptFiles")
    void corruptFilesAreRejectedWithTheProblem(String content, String problem) throws IOException {
        Path file = directory.resolve("corrupt.json");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        DataException e = assertThrows(DataException.class, () -> PriorPool.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void aMissingFileIsReported() {
        DataException e = assertThrows(DataException.class, () -> PriorPool.load(directory.resolve("none.json")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    /** A one-layer pool whose prior i carries i in entry 0. */
    private static PriorPool taggedPool(double[] keys) {
        float[][] priors = new float[keys.length][COLUMNS];
        for (int i = 0; i < keys.length; i++) {
            priors[i][0] = i;
        }
        return new PriorPool(keys, priors);
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** One-layer maps tagged 0, 1, 2, ... in entry 0, written into the same buffer each time. */
    private static final class CountingSampler implements Supplier<float[]> {
        private final float[] buffer = new float[COLUMNS];
        private int draws;

        @Override
        public float[] get() {
            buffer[0] = draws++;
            return buffer;
        }
    }
}
