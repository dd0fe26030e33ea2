package dev.jnas.bindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cycles of create, score, close, run in a JVM of its own (see {@link ResourceLifecycleTest}) so that its heap can
 * be fixed and touched up front: its resident memory then grows only with native memory and compiled code.
 * Prints "rss-before rss-after heap-before heap-after" in bytes, measured after the warm-up and at the end.
 */
final class CreateScoreCloseCycles {
    static final int WARM_UP_CYCLES = 500;

    private CreateScoreCloseCycles() {
    }

    /** @param args the number of measured cycles */
    public static void main(String[] args) throws IOException {
        int cycles = Integer.parseInt(args[0]);
        long kappa = Double.doubleToRawLongBits(cycle(0));
        for (int c = 1; c < WARM_UP_CYCLES; c++) {
            cycle(c);
        }
        long rssBefore = residentBytes();
        long heapBefore = heapAfterGc();
        for (int c = 0; c < cycles; c++) {
            // The same seed on a fresh engine: the same κ, so nothing carries over from one context to the next.
            long again = Double.doubleToRawLongBits(cycle(c));
            if (again != kappa) {
                throw new AssertionError("cycle " + c + " gave κ " + Double.longBitsToDouble(again) + ", cycle 0 "
                        + Double.longBitsToDouble(kappa));
            }
        }
        System.out.println(rssBefore + " " + residentBytes() + " " + heapBefore + " " + heapAfterGc());
    }

    /**
     * A fresh engine, graph, net, batch, NTK, spectrum and pattern collector, all closed at the end: on even
     * cycles each by itself, on odd ones by its owner (the engine closes its tensors and nets, a net its
     * optimizers). Returns κ of the NTK.
     */
    static double cycle(int cycle) {
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
    static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(ResourceLifecycleTest.STATUS)) {
            if (line.startsWith("VmRSS:")) {
                String[] fields = line.substring("VmRSS:".length()).trim().split("\\s+");
                if (!fields[1].equals("kB")) {
                    throw new IllegalStateException("VmRSS not in kB: " + line);
                }
                return Long.parseLong(fields[0]) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS line in " + ResourceLifecycleTest.STATUS);
    }

    private static long heapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
