package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Native objects are freed by their owners and closing is safe in any order and any number of times: every
 * AutoCloseable of the bindings closed twice, dependents closed after their owner, and 10,000 cycles of
 * create, score, close that leave the process's resident memory and the Java heap where they were.
 */
class ResourceLifecycleTest {
    private static final int WARM_UP_CYCLES = 500;
    private static final int CYCLES = 10_000;
    private static final long MIB = 1 << 20;
    /**
     * Generous against allocator and JIT noise (the measured growth was below zero), yet below the +36 MiB
     * measured when every cycle leaked one context holding one 3 KiB tensor.
     */
    private static final long MAX_RSS_GROWTH = 24 * MIB;
    private static final long MAX_HEAP_GROWTH = 16 * MIB;
    private static final Path STATUS = Path.of("/proc/self/status");

    @Test
    void everyAutoCloseableClosesTwiceAndRefusesUseAfterwards() {
        Engine engine = Engine.open(Backend.CPU);
        GraphBuilder graph = GraphBuilder.create();
        int input = graph.input(3, 8, 8);
        int output = graph.linear("fc", graph.globalAvgPool(graph.relu(graph.conv2d("conv", input, 4, 3, 1, 1))), 2);
        Net net = Net.compile(engine, graph, output, Init.PYTORCH_DEFAULT, 1);
        Optimizer optimizer = net.adam(1e-3f);
        Tensor tensor = engine.tensor(2, 3, 8, 8);
        Patterns patterns = Patterns.create();
        List<NativeHandle> all = List.of(optimizer, net, tensor, graph, patterns, engine);
        for (NativeHandle handle : all) {
            handle.close();
            handle.close();
            assertTrue(handle.isClosed(), handle.describe());
            StateException e = assertThrows(StateException.class, handle::requireOpen);
            assertEquals(handle.describe() + " is closed", e.getMessage());
        }
    }

    @Test
    void closingTheOwnerFirstClosesItsDependentsOnceAndTheirOwnCloseIsANoOp() {
        Engine engine = Engine.open(Backend.CPU);
        GraphBuilder graph = GraphBuilder.create();
        int input = graph.input(2);
        Net net = Net.compile(engine, graph, graph.linear("fc", input, 2), Init.PYTORCH_DEFAULT, 1);
        Optimizer optimizer = net.sgd(0.1f, 0f, 0f, false);
        Tensor tensor = engine.tensor(3, 2);
        net.bindInput(input, tensor);
        engine.close();
        for (NativeHandle dependent : List.of(optimizer, net, tensor)) {
            assertTrue(dependent.isClosed(), dependent.describe());
            dependent.close();
        }
        // The graph belongs to no engine: it stays usable and compiles again on another engine.
        try (Engine other = Engine.open(Backend.CPU); Net again = Net.compile(other, graph, 1, Init.ZEROS, 1)) {
            assertEquals(2, again.paramCount());
        }
        graph.close();
        graph.close();
    }

    @Test
    void tenThousandCreateScoreCloseCyclesKeepMemoryFlat() throws IOException {
        assumeTrue(Files.isReadable(STATUS), "resident memory is read from Linux's " + STATUS);
        long kappa = Double.doubleToRawLongBits(cycle(0));
        for (int c = 1; c < WARM_UP_CYCLES; c++) {
            cycle(c);
        }
        long rssBefore = residentBytes();
        long heapBefore = heapAfterGc();
        for (int c = 0; c < CYCLES; c++) {
            // The same seed on a fresh engine: the same κ, so nothing carries over from one context to the next.
            assertEquals(kappa, Double.doubleToRawLongBits(cycle(c)), "cycle " + c);
        }
        long rssGrowth = residentBytes() - rssBefore;
        long heapGrowth = heapAfterGc() - heapBefore;
        assertTrue(rssGrowth < MAX_RSS_GROWTH, "resident memory grew " + rssGrowth / MIB + " MiB over " + CYCLES
                + " cycles");
        assertTrue(heapGrowth < MAX_HEAP_GROWTH, "the heap grew " + heapGrowth / MIB + " MiB over " + CYCLES
                + " cycles");
    }

    /**
     * A fresh engine, graph, net, batch, NTK, spectrum and pattern collector, all closed at the end: on even
     * cycles each by itself, on odd ones by its owner (the engine closes its tensors and nets, a net its
     * optimizers). Returns κ of the NTK.
     */
    private static double cycle(int cycle) {
        try (Engine engine = Engine.open(Backend.CPU); GraphBuilder graph = GraphBuilder.create();
             Patterns patterns = Patterns.create()) {
            engine.setThreads(1);
            int input = graph.input(3, 8, 8);
            int features = graph.relu(graph.batchNorm("bn", graph.conv2d("conv", input, 4, 3, 1, 1)));
            int output = graph.linear("fc", graph.globalAvgPool(features), 10);
            Net net = Net.compile(engine, graph, output, Init.KAIMING_NORMAL_FAN_IN, 7);
            Tensor batch = engine.tensor(4, 3, 8, 8);
            batch.fillNormal(7, 0, 0, 1);
            net.bindInput(input, batch);
            Tensor logits = net.forward();
            Tensor theta = net.ntk(BnCoupling.FROZEN);
            double kappa = engine.spectrum(theta).kappa();
            patterns.collect(net);
            Optimizer optimizer = net.sgd(0.1f, 0.9f, 0f, false);
            if (cycle % 2 == 0) {
                optimizer.close();
                theta.close();
                logits.close();
                batch.close();
                net.close();
            }
            return kappa;
        }
    }

    /** VmRSS of this process (Linux), in bytes. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                String[] fields = line.substring("VmRSS:".length()).trim().split("\\s+");
                assertEquals("kB", fields[1], line);
                return Long.parseLong(fields[0]) * 1024;
            }
        }
        throw new AssertionError("no VmRSS line in " + STATUS);
    }

    private static long heapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
