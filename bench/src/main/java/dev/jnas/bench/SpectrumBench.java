package dev.jnas.bench;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Spectrum;
import dev.jnas.bindings.Tensor;
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
 * The eigen-spectrum (double precision, κ and its flags) of a real NTK: the frozen-coupling Θ of TE-NAS's κ
 * network at batch {@value Shapes#NTK_BATCH}, computed once. FLOPs: {@link Shapes#eigenvalueFlops}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpectrumBench {
    private Engine engine;
    private Tensor theta;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engine.open(Backend.CPU);
        theta = engine.tensor(Shapes.NTK_BATCH, Shapes.NTK_BATCH);
        try (Nb201Nets kappa = Nb201Nets.kappa(engine, Shapes.NTK_BATCH)) {
            kappa.net().ntk(BnCoupling.FROZEN, theta);
        }
    }

    @Benchmark
    public Spectrum spectrum() {
        return engine.spectrum(theta);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        theta.close();
        engine.close();
    }
}
