package dev.jnas.search.sgnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.data.LabeledImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supernet training: a crash and a resume give the bits of an uninterrupted run. */
class SupernetTrainerTest {
    /** 2 epochs of 6 steps (192 images, batch 32), a checkpoint every 4 steps. */
    private static final SupernetSettings SETTINGS = new SupernetSettings(2, 32, 4, 0.064f, 0.9f, 4e-4f, 0.1f, 3, 4);

    private static Engine engine;
    private static LabeledImages images;

    @BeforeAll
    static void open() {
        engine = Engine.open(Backend.CPU);
        images = SgnasFixture.images(192);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static float[][] parameters(Net net) {
        float[][] values = new float[net.paramCount()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = net.readParam(i);
        }
        return values;
    }

    private static float[][] train(Path directory, SupernetTrainer.Listener listener, List<SupernetTrainer.Epoch> out) {
        try (SupernetNet supernet = SupernetNet.compile(engine, SgnasFixture.LAYOUT, 5)) {
            out.addAll(new SupernetTrainer(engine, SETTINGS).train(supernet, images, directory, listener));
            return parameters(supernet.net());
        }
    }

    @Test
    void aRunResumedAfterACrashEndsWithTheUninterruptedRunsBits(@TempDir Path straight, @TempDir Path crashed) {
        List<SupernetTrainer.Epoch> straightEpochs = new ArrayList<>();
        float[][] expected = train(straight, SgnasFixture.NEVER, straightEpochs);
        assertEquals(2, straightEpochs.size());
        assertTrue(Double.isFinite(straightEpochs.get(1).loss()));

        // Epoch 2, step 6: the last checkpoint is epoch 2's step 4, so steps 5 and 6 are redone on resume.
        SgnasFixture.CrashAt crash = new SgnasFixture.CrashAt(2, 6);
        assertThrows(SgnasFixture.CrashAt.class, () -> train(crashed, crash, new ArrayList<>()));
        List<SupernetTrainer.Epoch> resumedEpochs = new ArrayList<>();
        float[][] resumed = train(crashed, SgnasFixture.NEVER, resumedEpochs);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], resumed[i], "parameter " + i);
        }
        assertEquals(1, resumedEpochs.size());
        assertTrue(resumedEpochs.get(0).resumed());
        assertEquals(straightEpochs.get(1).loss(), resumedEpochs.get(0).loss(), "the epoch's sums survive the crash");

        List<SupernetTrainer.Epoch> again = new ArrayList<>();
        assertArrayEquals(expected[0], train(crashed, SgnasFixture.NEVER, again)[0]);
        assertTrue(again.isEmpty(), "a finished run trains no more");
    }

    @Test
    void trainingMovesTheWeightsAndSampledPathsLearn(@TempDir Path directory) {
        List<SupernetTrainer.Epoch> epochs = new ArrayList<>();
        float[][] trained = train(directory, SgnasFixture.NEVER, epochs);
        try (SupernetNet fresh = SupernetNet.compile(engine, SgnasFixture.LAYOUT, 5)) {
            assertFalse(Arrays.equals(parameters(fresh.net())[0], trained[0]));
        }
        assertTrue(epochs.get(1).loss() < epochs.get(0).loss(), epochs.toString());
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefused(@TempDir Path directory) {
        train(directory, SgnasFixture.NEVER, new ArrayList<>());
        SupernetSettings other = new SupernetSettings(2, 32, 4, 0.1f, 0.9f, 4e-4f, 0.1f, 3, 4);
        try (SupernetNet supernet = SupernetNet.compile(engine, SgnasFixture.LAYOUT, 5)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SupernetTrainer(engine, other)
                    .train(supernet, images, directory, SgnasFixture.NEVER));
            assertTrue(e.getMessage().contains("other settings"), e.getMessage());
        }
    }
}
