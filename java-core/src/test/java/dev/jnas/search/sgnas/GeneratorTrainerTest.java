package dev.jnas.search.sgnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.data.LabeledImages;
import dev.jnas.space.mbconv.FlopsTable;
import dev.jnas.space.mbconv.PathSampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generator training against a (random) frozen supernet: the constraint loss falls, the supernet's weights stay
 * untouched, and a crash and resume give the uninterrupted run's bits. (Whether generated FLOPs meet their targets
 * needs a trained supernet and many more steps: it is measured by {@code jnas search sgnas}, see README.)
 */
class GeneratorTrainerTest {
    private static final FlopsTable TABLE = new FlopsTable(SgnasFixture.LAYOUT);
    private static final TargetRange RANGE = SgnasSearch.defaultRange(SgnasFixture.LAYOUT, 0);

    private static Engine engine;
    private static LabeledImages images;
    private static PriorPool pool;

    @BeforeAll
    static void open() {
        engine = Engine.open(Backend.CPU);
        images = SgnasFixture.images(64);
        SplittableRandom random = new SplittableRandom(1);
        pool = PriorPool.build(RANGE, 1, () -> PathSampler.random(SgnasFixture.LAYOUT, random).oneHot(),
                TABLE::flops);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static GeneratorSettings settings(int epochs) {
        return GeneratorSettings.reference(epochs, 4, new HardwareConstraintLoss().inUnits(RANGE.unit()),
                SelectionGrid.REFERENCE, 7);
    }

    /** Trains and returns the last generator's parameters followed by the best one's. */
    private static List<float[]> train(Path directory, int epochs, GeneratorTrainer.Listener listener,
                                       List<GeneratorTrainer.Epoch> out, float[][] supernetBefore) {
        try (SupernetNet supernet = SupernetNet.compile(engine, SgnasFixture.LAYOUT, 5);
             ArchitectureGenerator generator = ArchitectureGenerator.create(engine, SgnasFixture.LAYOUT.layerCount(),
                     9)) {
            Path best = directory.resolve("best.params");
            out.addAll(new GeneratorTrainer(engine, settings(epochs)).train(generator, supernet, TABLE, pool, RANGE,
                    images, directory, best, listener));
            List<float[]> values = parameters(generator.net());
            if (supernetBefore != null) {
                float[][] after = parameters(supernet.net()).toArray(new float[0][]);
                for (int i = 0; i < after.length; i++) {
                    String name = supernet.net().paramName(i);
                    if (!name.startsWith("arch.") && !name.startsWith("sbn.")) {
                        assertArrayEquals(supernetBefore[i], after[i], "supernet parameter "
                                + name + " must stay frozen");
                    }
                }
            }
            ParameterFile.load(generator.net(), best);
            values.addAll(parameters(generator.net()));
            return values;
        }
    }

    private static List<float[]> parameters(Net net) {
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < net.paramCount(); i++) {
            values.add(net.readParam(i));
        }
        return values;
    }

    @Test
    void theConstraintLossFallsAndTheSupernetStaysFrozen(@TempDir Path directory) {
        float[][] supernetBefore;
        try (SupernetNet supernet = SupernetNet.compile(engine, SgnasFixture.LAYOUT, 5)) {
            supernetBefore = parameters(supernet.net()).toArray(new float[0][]);
        }
        List<GeneratorTrainer.Epoch> epochs = new ArrayList<>();
        train(directory, 4, SgnasFixture.NEVER, epochs, supernetBefore);
        assertEquals(4, epochs.size());
        double first = epochs.get(0).constraintLoss();
        double last = epochs.get(3).constraintLoss();
        assertTrue(last < first, "constraint loss per step went from " + first + " to " + last);
        GeneratorEvaluation evaluation = epochs.get(3).evaluation();
        assertArrayEquals(RANGE.evaluationGrid(), evaluation.targets());
        for (int i = 0; i < evaluation.targets().length; i++) {
            assertEquals(TABLE.flops(evaluation.architectures()[i]), evaluation.flops()[i]);
        }
        assertTrue(epochs.get(0).best(), "the first epoch's generator is the best so far");
    }

    @Test
    void aRunResumedAfterACrashEndsWithTheUninterruptedRunsBits(@TempDir Path straight, @TempDir Path crashed) {
        List<float[]> expected = train(straight, 3, SgnasFixture.NEVER, new ArrayList<>(), null);
        assertThrows(SgnasFixture.CrashAt.class,
                () -> train(crashed, 3, new SgnasFixture.CrashAt(3, 2), new ArrayList<>(), null));
        assertTrue(Files.exists(crashed.resolve("generator.progress")));
        List<GeneratorTrainer.Epoch> resumed = new ArrayList<>();
        List<float[]> actual = train(crashed, 3, SgnasFixture.NEVER, resumed, null);
        assertEquals(1, resumed.size(), "only the third epoch is left");
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i + " (last generator, then best)");
        }
    }
}
