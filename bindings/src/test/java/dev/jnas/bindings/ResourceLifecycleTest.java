package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native objects are freed by their owners and closing is safe in any order and any number of times: every
 * AutoCloseable of the bindings closed twice, dependents closed after their owner, and 10,000 cycles of
 * create, score, close that leave a JVM's resident memory and heap where they were.
 */
class ResourceLifecycleTest {
    private static final int CYCLES = 10_000;
    private static final long MIB = 1 << 20;
    /**
     * Generous against compiled code and allocator noise (measured: +5.8 MiB), yet below the +42.5 MiB measured
     * when every cycle leaked one context holding one 3 KiB tensor.
     */
    private static final long MAX_RSS_GROWTH = 24 * MIB;
    private static final long MAX_HEAP_GROWTH = 16 * MIB;
    static final Path STATUS = Path.of("/proc/self/status");
    private static final int CHILD_HEAP_MIB = 64;

    @TempDir
    Path dir;

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

    /**
     * In a JVM of its own whose heap is fixed and touched at start ({@link CreateScoreCloseCycles}): in this one
     * the heap's own growth into pages it had not used yet would show in the resident memory as well.
     */
    @Test
    void tenThousandCreateScoreCloseCyclesKeepMemoryFlat() throws Exception {
        assumeTrue(Files.isReadable(STATUS), "resident memory is read from Linux's " + STATUS);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + CHILD_HEAP_MIB + "m", "-Xmx" + CHILD_HEAP_MIB + "m", "-XX:+AlwaysPreTouch",
                "--enable-native-access=ALL-UNNAMED", "-Djnas.library=" + System.getProperty("jnas.library"),
                "-cp", System.getProperty("java.class.path"), CreateScoreCloseCycles.class.getName(), "" + CYCLES)
                .redirectErrorStream(true).redirectOutput(dir.resolve("cycles.log").toFile()).start();
        try {
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the cycles did not end within 120 s");
        } finally {
            child.destroyForcibly();
        }
        String output = Files.readString(dir.resolve("cycles.log")).strip();
        assertEquals(0, child.exitValue(), output);
        long[] bytes = Arrays.stream(output.lines().reduce((a, b) -> b).orElseThrow().split(" "))
                .mapToLong(Long::parseLong).toArray();
        long rssGrowth = bytes[1] - bytes[0];
        long heapGrowth = bytes[3] - bytes[2];
        assertTrue(rssGrowth < MAX_RSS_GROWTH, "resident memory grew " + rssGrowth / MIB + " MiB over " + CYCLES
                + " cycles");
        assertTrue(heapGrowth < MAX_HEAP_GROWTH, "the heap grew " + heapGrowth / MIB + " MiB over " + CYCLES
                + " cycles");
    }
}
