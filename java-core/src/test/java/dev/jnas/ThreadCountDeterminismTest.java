package dev.jnas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.cli.Main;
import dev.jnas.data.FashionMnist;
import dev.jnas.data.Splits;
import dev.jnas.metrics.GaussianProbeData;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeDataSets;
import dev.jnas.metrics.TrainingFreeScorer;
import dev.jnas.models.SmallCnn;
import dev.jnas.search.tenas.RepeatDraws;
import dev.jnas.search.tenas.RoundCheckpoints;
import dev.jnas.search.tenas.TenasPruner;
import dev.jnas.search.tenas.TenasSettings;
import dev.jnas.space.nb201.Nb201Architecture;
import dev.jnas.space.nb201.Nb201PruningSpace;
import dev.jnas.train.OptimizerKind;
import dev.jnas.train.TrainConfig;
import dev.jnas.train.TrainListener;
import dev.jnas.train.TrainResult;
import dev.jnas.train.Trainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the CPU backend the same seed gives the same bits with 1 and 2 threads, and again in a second run on a fresh
 * engine: the training-free metrics (κ, linear regions, NASWOT, both batch-norm couplings), a TE-NAS search,
 * an αNAS run and training losses. Values are compared as raw bits (Double.doubleToRawLongBits), not within a
 * tolerance. The kernels split work only over independent outputs and sum in a fixed order (cpu_kernels.hpp,
 * gemm.cpp), which is what this checks from the top.
 */
class ThreadCountDeterminismTest {
    /** Threads per run: two runs on one thread (run to run), then two threads (thread count). */
    private static final int[] THREADS = {1, 1, 2};
    private static final Nb201Architecture CELL = Nb201Architecture.parse(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|");

    @TempDir
    Path dir;

    @Test
    void trainingFreeMetricsAreTheSameBits() {
        for (BnCoupling coupling : BnCoupling.values()) {
            MetricSettings settings = new MetricSettings(EnumSet.allOf(MetricKind.class), 16, 1,
                    InitScheme.PYTORCH_DEFAULT, coupling, GaussianProbeData.KEY);
            assertSameForEveryThreadCount(coupling.name(), engine -> ResultBits.of(
                    new TrainingFreeScorer(engine, settings, new GaussianProbeData()).score(CELL, 11)));
        }
    }

    @Test
    void aTenasSearchIsTheSameBits() {
        TenasSettings settings = new TenasSettings(new MetricSettings(EnumSet.of(MetricKind.NTK,
                MetricKind.LINEAR_REGIONS), 8, 1, InitScheme.PYTORCH_DEFAULT, BnCoupling.FROZEN,
                GaussianProbeData.KEY), RepeatDraws.FRESH, 1);
        assertSameForEveryThreadCount("tenas", engine -> ResultBits.of(new TenasPruner(new Nb201PruningSpace(),
                settings, 3).run(List.of(engine), ProbeDataSets.load(GaussianProbeData.KEY), RoundCheckpoints.NONE,
                new TenasPruner.Listener() { })));
    }

    @Test
    void trainingLossesAreTheSameBits() {
        Splits fashion = FashionMnist.atDefaultLocation().load(16 * 32, 256);
        for (OptimizerKind optimizer : OptimizerKind.values()) {
            TrainConfig config = new TrainConfig(1, 32, optimizer, optimizer == OptimizerKind.SGD ? 0.05f : 1e-3f, 7);
            assertSameForEveryThreadCount(optimizer.name(), engine -> {
                TrainResult result = new Trainer(engine, config).train(new SmallCnn(), fashion,
                        new TrainListener() { });
                List<Long> bits = new ArrayList<>();
                for (float loss : result.stepLosses()) {
                    bits.add((long) Float.floatToRawIntBits(loss));
                }
                bits.add(Double.doubleToRawLongBits(result.last().testAccuracy()));
                return bits;
            });
        }
    }

    /** The αNAS command line (training-free fitness) with --threads 1 and 2: the same individuals and fronts. */
    @Test
    void anAlphanasRunIsTheSameWithOneAndTwoThreads() throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        for (int r = 0; r < THREADS.length; r++) {
            StringWriter out = new StringWriter();
            int code = Main.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                    "search", "alphanas", "--seed-model", "cnn", "--generations", "6", "--fitness", "training-free",
                    "--train-images", "64", "--probe-batch", "8", "--threads", "" + THREADS[r], "--seed", "2",
                    "--json", "--store", dir.resolve("run" + r + ".sqlite").toString());
            assertEquals(0, code);
            JsonNode result = new ObjectMapper().readTree(out.toString());
            ((ObjectNode) result).remove("seconds");
            result.get("individuals").forEach(individual -> ((ObjectNode) individual).remove("seconds"));
            result.get("front_parameters").forEach(individual -> ((ObjectNode) individual).remove("seconds"));
            result.get("front_macs").forEach(individual -> ((ObjectNode) individual).remove("seconds"));
            runs.add(result);
        }
        // Jackson compares parsed doubles with Double.compare, which tells apart every bit pattern but NaN's.
        assertEquals(runs.get(0), runs.get(1), "run to run");
        assertEquals(runs.get(0), runs.get(2), "1 vs 2 threads");
    }

    /** Runs the work on a fresh engine for each entry of THREADS and checks that all give the same bits. */
    private static <T> void assertSameForEveryThreadCount(String what, Function<Engine, List<T>> work) {
        List<List<T>> results = new ArrayList<>();
        for (int threads : THREADS) {
            try (Engine engine = Engine.open(Backend.CPU)) {
                engine.setThreads(threads);
                results.add(work.apply(engine));
            }
        }
        for (int r = 1; r < results.size(); r++) {
            assertEquals(results.get(0), results.get(r), what + ": run " + r + " (" + THREADS[r] + " threads) vs run 0 "
                    + "(1 thread): " + Arrays.toString(THREADS));
        }
    }
}
