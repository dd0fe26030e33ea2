package dev.jnas.bench;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Patterns;
import java.util.concurrent.TimeUnit;
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
 * TE-NAS's linear regions on the thin network of {@link Shapes#CELL}: collecting the ReLU sign patterns of
 * {@value #BATCHES} train-mode forwards of {@value #PATCHES} 1×3×3 patches (drawing the patches, the forwards,
 * packing and hashing), and counting the distinct ones among the {@value #BATCHES}×{@value #PATCHES} rows. Bit
 * work, so no FLOPs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PatternBench {
    static final int BATCHES = 3;
    static final int PATCHES = 1000;

    private Engine engine;
    private Nb201Nets regions;
    private Patterns collected;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engine.open(Backend.CPU);
        regions = Nb201Nets.regions(engine, PATCHES);
        collected = collect();
    }

    @Benchmark
    public long collectPatterns() {
        try (Patterns patterns = collect()) {
            return patterns.samples();
        }
    }

    @Benchmark
    public long countDistinct() {
        return collected.countDistinct(engine);
    }

    /** Each batch is a new draw of patches, as TE-NAS's sampler gives. */
    private Patterns collect() {
        Patterns patterns = Patterns.create();
        for (int b = 0; b < BATCHES; b++) {
            regions.input().fillNormal(b, 0, 0f, 1f);
            patterns.collect(regions.net());
        }
        return patterns;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        collected.close();
        regions.close();
        engine.close();
    }
}
