package dev.jnas.bench;

import dev.jnas.bindings.Engine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** The cost of one FFM downcall into libjnas: jnas_cuda_compiled() takes nothing and returns an int. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FfmCallBench {
    @Benchmark
    public boolean downcall() {
        return Engine.cudaCompiled();
    }
}
