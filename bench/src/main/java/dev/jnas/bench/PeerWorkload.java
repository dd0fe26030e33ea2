package dev.jnas.bench;

import dev.jnas.bench.BenchTable.Row;
import java.util.List;
import java.util.Locale;

/**
 * One workload of the PyTorch comparison, the same computation on the same shapes on both sides, timed by one
 * {@link PeerProtocol} in the same run. Its values need not match PyTorch's (other weights and inputs), only agree
 * in kind, which its check line shows.
 */
interface PeerWorkload {
    /** Measures jnas, then the peer. */
    Outcome measure(PythonPeer python, int threads);

    /** Table rows (jnas's first, their notes giving PyTorch's time as a multiple of theirs) and one check line. */
    record Outcome(List<Row> rows, String check) {
    }

    /** A jnas row whose note says how many times its time PyTorch took. */
    static Row jnasRow(String name, double seconds, double flops, double torchSeconds, String remark) {
        return new Row(name, seconds, flops, String.format(Locale.ROOT, "PyTorch: %.2fx the time%s",
                torchSeconds / seconds, remark.isEmpty() ? "" : " (" + remark + ")"));
    }

    /**
     * The rows of a workload jnas runs with both batch-norm couplings against PyTorch's exact one: jnas exact, jnas
     * frozen (its default, a different NTK), then PyTorch's own time.
     */
    static List<Row> couplingRows(String name, double exactSeconds, double frozenSeconds, double torchSeconds,
                                  String torchRemark) {
        return List.of(
                jnasRow(name + ": jnas exact BN", exactSeconds, Double.NaN, torchSeconds, ""),
                jnasRow(name + ": jnas frozen", frozenSeconds, Double.NaN, torchSeconds,
                        "jnas's default; not the same NTK"),
                Row.timed(name + ": PyTorch", torchSeconds, torchRemark));
    }
}
