package dev.jnas.search.sgnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterFileTest {
    @TempDir
    Path directory;

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** Random values in every parameter, running statistics included, come back bit for bit. */
    @Test
    void roundTripIsBitExact() {
        Path file = directory.resolve("net.params");
        try (Net saved = net("fc", 3, 1); Net loaded = net("fc", 3, 2)) {
            randomize(saved);
            ParameterFile.save(saved, file);
            ParameterFile.load(loaded, file);
            assertEquals(5 + 2, saved.paramCount(), "conv weight, bn weight/bias/mean/var, fc weight/bias");
            for (int index = 0; index < saved.paramCount(); index++) {
                assertArrayEquals(bits(saved.readParam(index)), bits(loaded.readParam(index)), saved.paramName(index));
            }
        }
    }

    @Test
    void savingLeavesNoTemporaryFileAndReplacesAnOldOne() throws IOException {
        Path file = directory.resolve("net.params");
        Files.writeString(file, "old");
        try (Net net = net("fc", 3, 1)) {
            ParameterFile.save(net, file);
        }
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(1, files.count());
        }
        assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).startsWith("old"));
    }

    @Test
    void aNetWithOtherShapesOrNamesIsRejectedByParameter() {
        Path file = directory.resolve("net.params");
        try (Net net = net("fc", 3, 1)) {
            ParameterFile.save(net, file);
        }
        try (Net wider = net("fc", 4, 1); Net renamed = net("head", 3, 1)) {
            DataException shape = assertThrows(DataException.class, () -> ParameterFile.load(wider, file));
            assertTrue(shape.getMessage().contains("'fc.weight') has shape [3, 32] in the file but [4, 32]"),
                    shape.getMessage());
            DataException name = assertThrows(DataException.class, () -> ParameterFile.load(renamed, file));
            assertTrue(name.getMessage().contains("'fc.weight' in the file but 'head.weight' in the net"),
                    name.getMessage());
        }
    }

    /** Cut 3 bytes from the end: the last value of the last parameter, fc.bias, is incomplete. */
    @Test
    void aTruncatedFileIsRejectedAndTheNetLeftAsItWas() throws IOException {
        Path file = directory.resolve("net.params");
        try (Net source = net("fc", 3, 1)) {
            randomize(source);
            ParameterFile.save(source, file);
        }
        byte[] content = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(content, content.length - 3));
        try (Net target = net("fc", 3, 2)) {
            float[] before = target.readParam(0);
            DataException e = assertThrows(DataException.class, () -> ParameterFile.load(target, file));
            assertTrue(e.getMessage().contains("truncated at byte " + (content.length - 12))
                    && e.getMessage().contains("'fc.bias'") && e.getMessage().contains("needs 12 bytes but 9 remain"),
                    e.getMessage());
            assertArrayEquals(bits(before), bits(target.readParam(0)));
        }
    }

    @Test
    void otherFilesAreRejected() throws IOException {
        Path file = directory.resolve("net.params");
        Files.writeString(file, "not parameters at all");
        try (Net net = net("fc", 3, 1)) {
            DataException magic = assertThrows(DataException.class, () -> ParameterFile.load(net, file));
            assertTrue(magic.getMessage().contains("not a jnas parameter file"), magic.getMessage());
            ParameterFile.save(net, file);
            Files.write(file, new byte[] {0}, StandardOpenOption.APPEND);
            DataException trailing = assertThrows(DataException.class, () -> ParameterFile.load(net, file));
            assertTrue(trailing.getMessage().contains("1 bytes after the last parameter"), trailing.getMessage());
        }
    }

    /** conv 1→2 3×3 (18) → BN(2) → ReLU → linear 32 → out (named name). */
    private Net net(String linearName, int outFeatures, long seed) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            int input = graph.input(1, 4, 4);
            int conv = graph.conv2d("conv", input, 2, 3, 1, 1);
            int features = graph.relu(graph.batchNorm("bn", conv));
            int output = graph.linear(linearName, features, outFeatures);
            return Net.compile(engine, graph, output, Init.PYTORCH_DEFAULT, seed);
        }
    }

    private static void randomize(Net net) {
        SplittableRandom random = new SplittableRandom(99);
        for (int index = 0; index < net.paramCount(); index++) {
            float[] values = new float[Math.toIntExact(net.paramNumel(index))];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            net.writeParam(index, values);
        }
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
