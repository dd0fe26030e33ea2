package dev.jnas.bench;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Tensor;
import java.util.Locale;
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
 * The per-sample Jacobian and NTK Gram matrix Θ = J·Jᵀ of TE-NAS's κ network ({@link Shapes#CELL}, batch
 * {@value Shapes#NTK_BATCH}, train-mode batch norm), in both couplings: exact (the batch statistics differentiated,
 * B coupled backward passes) and frozen (statistics held constant, one pass). FLOPs: {@link Shapes#ntkFlops}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NtkBench {
    @Param({"frozen", "exact"})
    public String coupling;

    private Engine engine;
    private Nb201Nets kappa;
    private Tensor theta;
    private BnCoupling mode;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engine.open(Backend.CPU);
        kappa = Nb201Nets.kappa(engine, Shapes.NTK_BATCH);
        theta = engine.tensor(Shapes.NTK_BATCH, Shapes.NTK_BATCH);
        mode = BnCoupling.valueOf(coupling.toUpperCase(Locale.ROOT));
    }

    @Benchmark
    public void ntk() {
        kappa.net().ntk(mode, theta);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        theta.close();
        kappa.close();
        engine.close();
    }

    /** The FLOPs of one {@link #ntk} in the given coupling ("frozen" or "exact"). */
    static double flops(String coupling) {
        try (Engine engine = Engine.open(Backend.CPU); Nb201Nets kappa = Nb201Nets.kappa(engine, Shapes.NTK_BATCH)) {
            return Shapes.ntkFlops(kappa.macs(), Shapes.NTK_BATCH, kappa.jacobianWidth(),
                    BnCoupling.valueOf(coupling.toUpperCase(Locale.ROOT)));
        }
    }
}
