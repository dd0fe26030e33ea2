package dev.jnas.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jnas.bench.BenchTable.Row;
import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * Peer workload (d): the diagonal Hessian of the mean cross-entropy w.r.t. every parameter of a small CNN
 * ({@link HessianBench#smallCnn} at 8 then 16 channels on 16×16 inputs, batch {@value #BATCH}, train-mode BN). jnas:
 * a forward, the loss's diagonal seed and BayesNAS's Gauss-Newton-style backward recursion ({@link Net#hessianDiag}),
 * on one engine of all the threads. PyTorch (bench/peer/hessian_diag.py): the exact diagonal by double backward, one
 * Hessian-vector product per parameter value. Not the same quantity: the recursion drops the off-diagonal and
 * second-derivative terms (it is exact on the linear head, which the check compares); PyTorch has no one-pass way
 * to the exact diagonal, so this is the cost of getting the exact one.
 */
final class HessianDiagPeer implements PeerWorkload {
    static final int BATCH = 32;
    static final int SIZE = 16;

    private final PeerProtocol protocol;

    HessianDiagPeer(boolean quick) {
        this.protocol = quick ? new PeerProtocol(1, 1) : new PeerProtocol(1, 3);
    }

    @Override
    public Outcome measure(PythonPeer python, int threads) {
        double seconds;
        long parameters = 0;
        double trace = 0;
        double headTrace = 0;
        try (Engine engine = Engine.open(Backend.CPU); GraphBuilder graph = GraphBuilder.create()) {
            engine.setThreads(threads);
            int[] io = HessianBench.smallCnn(graph, 8, 16, SIZE);
            try (Net net = Net.compile(engine, graph, io[1], Init.PYTORCH_DEFAULT, 0);
                 Tensor images = engine.tensor(BATCH, 3, SIZE, SIZE); Tensor logits = engine.tensor(BATCH, 10);
                 Tensor seed = engine.tensor(BATCH, 10)) {
                net.setTrain(true);
                images.fillNormal(1, 0, 0f, 1f);
                net.bindInput(io[0], images);
                seconds = protocol.time(() -> {
                    net.forward(logits);
                    engine.crossEntropyHessianDiag(logits, seed);
                    net.hessianDiag(seed);
                    return null;
                }).seconds();
                for (int p = 0; p < net.paramCount(); p++) {
                    if (!net.isTrainable(p)) {
                        continue;  // batch norm's running statistics
                    }
                    double sum = 0;
                    for (float h : net.readHessian(p)) {
                        sum += h;
                    }
                    parameters += net.paramNumel(p);
                    trace += sum;
                    headTrace += net.paramName(p).startsWith("fc.") ? sum : 0;
                }
            }
        }
        JsonNode torch = python.run("hessian_diag.py", protocol, List.of("--batch", Integer.toString(BATCH),
                "--size", Integer.toString(SIZE)));
        double torchSeconds = torch.get("seconds").asDouble();
        String name = "Hessian diag, small CNN P=" + parameters + " B=" + BATCH;
        List<Row> rows = List.of(
                PeerWorkload.jnasRow(name + ": jnas", seconds, Double.NaN, torchSeconds,
                        "Gauss-Newton recursion vs PyTorch's exact diagonal"),
                Row.timed(name + ": PyTorch", torchSeconds, "exact: P double-backward HVPs"));
        String check = String.format(Locale.ROOT, "(d) diagonal sum: jnas %.4g (Gauss-Newton, >= 0), PyTorch exact "
                + "%.4g with %d of %d entries negative; linear head's part (exact in both): jnas %.4g, PyTorch %.4g",
                trace, torch.get("trace").asDouble(), torch.get("negative").asInt(), torch.get("parameters").asInt(),
                headTrace, torch.get("head_trace").asDouble());
        return new Outcome(rows, check);
    }
}
