package dev.jnas.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.data.LabeledImages;
import dev.jnas.search.sgnas.ArchitectureGenerator;
import dev.jnas.search.sgnas.PriorPool;
import dev.jnas.search.sgnas.SgnasSearch;
import dev.jnas.search.sgnas.SupernetNet;
import dev.jnas.search.sgnas.SupernetSettings;
import dev.jnas.search.sgnas.SupernetTrainer;
import dev.jnas.search.sgnas.TargetRange;
import dev.jnas.space.mbconv.FlopsTable;
import dev.jnas.space.mbconv.MbconvLayout;
import dev.jnas.space.mbconv.PathSampler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * SGNAS on the CPU-sized supernet of {@code jnas search sgnas} (Fashion-MNIST shape, width 0.25, one layer per
 * stage): one supernet training epoch over {@value #TRAIN_IMAGES} images (4 paths per step, batch 64, with its
 * end-of-epoch checkpoint), and the generator making {@value #TARGETS} architectures for {@value #TARGETS} targets in
 * one batched forward pass versus one pass per target.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SgnasBench {
    static final int TRAIN_IMAGES = 512;
    static final int TARGETS = 100;
    static final MbconvLayout LAYOUT = MbconvLayout.cifar(1, 28, 10).scaled(0.25, new int[] {1, 1, 1, 1, 1, 1});

    private Engine engine;
    private SupernetNet supernet;
    private LabeledImages images;
    private ArchitectureGenerator generator;
    private PriorPool pool;
    private TargetRange range;
    private double[] targets;
    private Path checkpoints;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engine.open(Backend.CPU);
        supernet = SupernetNet.compile(engine, LAYOUT, 0);
        SplittableRandom random = new SplittableRandom(0);
        float[] pixels = new float[TRAIN_IMAGES * 28 * 28];
        int[] labels = new int[TRAIN_IMAGES];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(10);
        }
        images = new LabeledImages(TRAIN_IMAGES, 1, 28, 28, 10, pixels, labels);
        range = SgnasSearch.defaultRange(LAYOUT, 0);
        FlopsTable table = new FlopsTable(LAYOUT);
        pool = PriorPool.build(range, 1, () -> PathSampler.random(LAYOUT, random).oneHot(), table::flops);
        generator = ArchitectureGenerator.create(engine, LAYOUT.layerCount(), 0);
        targets = new double[TARGETS];
        for (int i = 0; i < TARGETS; i++) {
            targets[i] = range.low() + (range.high() - range.low()) * i / TARGETS;
        }
    }

    /** A fresh checkpoint directory per epoch, or the trainer would find the last epoch finished. */
    @Setup(Level.Invocation)
    public void newCheckpoints() throws IOException {
        checkpoints = Files.createTempDirectory("jnas-sgnas-bench");
    }

    @TearDown(Level.Invocation)
    public void removeCheckpoints() throws IOException {
        try (Stream<Path> files = Files.walk(checkpoints)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Benchmark
    public Object supernetEpoch() {
        return new SupernetTrainer(engine, SupernetSettings.reference(1, 64, 0)).train(supernet, images, checkpoints,
                new SupernetTrainer.Listener() {
                    @Override
                    public void onStep(int epoch, int step, int steps, double loss) {
                    }

                    @Override
                    public void onEpoch(SupernetTrainer.Epoch epoch) {
                    }
                });
    }

    @Benchmark
    public float[][] generateOnePass() {
        return generator.generate(targets, range, pool);
    }

    @Benchmark
    public float[][] generateOnePassPerTarget() {
        float[][] logits = new float[TARGETS][];
        for (int i = 0; i < TARGETS; i++) {
            logits[i] = generator.generate(new double[] {targets[i]}, range, pool)[0];
        }
        return logits;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        generator.close();
        supernet.close();
        engine.close();
    }
}
