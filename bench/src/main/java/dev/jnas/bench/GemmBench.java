package dev.jnas.bench;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * c[m,n] = a[m,k]·b[k,n] through jnas_gemm and, as the peer, through OpenBLAS's cblas_sgemm directly. The
 * shapes are the per-sample GEMMs of the conv benchmark (m = C, k = 9C, n = 32·32) plus one square. Both use
 * every core: jnas through its own fixed tiling (deterministic), OpenBLAS through its own threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBench {
    @Param({"3x1024x27", "16x1024x144", "64x1024x576", "512x512x512"})
    public String shape;

    private Engine engine;
    private Tensor a;
    private Tensor b;
    private Tensor c;
    private Arena arena;
    private MemorySegment rawA;
    private MemorySegment rawB;
    private MemorySegment rawC;

    @Setup(Level.Trial)
    public void setUp() {
        int[] mnk = Shapes.parseGemm(shape);
        int m = mnk[0], n = mnk[1], k = mnk[2];
        engine = Engine.open(Backend.CPU);
        a = engine.tensor(m, k);
        b = engine.tensor(k, n);
        c = engine.tensor(m, n);
        a.fillUniform(1, 0, -1f, 1f);
        b.fillUniform(2, 0, -1f, 1f);
        arena = Arena.ofShared();
        rawA = copyOf(arena, a.read());
        rawB = copyOf(arena, b.read());
        rawC = arena.allocate((long) m * n * Float.BYTES, 64);
        OpenBlas.useAllCores();
    }

    private static MemorySegment copyOf(Arena arena, float[] values) {
        MemorySegment segment = arena.allocate((long) values.length * Float.BYTES, 64);
        MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_FLOAT, 0, values.length);
        return segment;
    }

    @Benchmark
    public void jnas() {
        engine.gemm(false, false, 1f, a, b, 0f, c);
    }

    @Benchmark
    public void openblas() {
        int[] mnk = Shapes.parseGemm(shape);
        OpenBlas.sgemm(mnk[0], mnk[1], mnk[2], rawA, rawB, rawC);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        c.close();
        b.close();
        a.close();
        engine.close();
    }
}
