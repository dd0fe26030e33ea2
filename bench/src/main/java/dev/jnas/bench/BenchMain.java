package dev.jnas.bench;

import dev.jnas.bench.BenchTable.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * `./jnas bench [--quick] [--threads N] [NAME]`: the JMH benchmarks (those whose class name contains NAME) in forked
 * JVMs, then, without NAME or with NAME "peer" (peers only), the PyTorch comparison in this JVM on N threads (default:
 * every core) on both sides, printed as one table whose peak is OpenBLAS's sgemm measured in the same run (see
 * {@link BenchTable}). `./jnas bench tenas-search ...` runs {@link TenasSearchBench} instead.
 */
public final class BenchMain {
    private static final String PEERS = "peer";

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        if (args.length > 0 && args[0].equals("tenas-search")) {
            TenasSearchBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        boolean quick = false;
        int threads = Runtime.getRuntime().availableProcessors();
        String only = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--threads" -> threads = threadCount(args, ++i);
                // A word that is not an option picks the benchmark classes whose name contains it, e.g. "Sgnas".
                default -> {
                    if (args[i].startsWith("--") || !only.isEmpty()) {
                        throw new IllegalArgumentException("unknown argument '" + args[i] + "'; usage: ./jnas bench "
                                + "[--quick] [--threads N] [NAME|peer]");
                    }
                    only = args[i];
                }
            }
        }
        boolean peersOnly = only.equalsIgnoreCase(PEERS);
        List<Row> rows = new ArrayList<>();
        double peak = Double.NaN;
        if (!peersOnly) {
            JmhRows jmh = new JmhRows(new Runner(jmhOptions(quick, only).build()).run());
            rows.addAll(jmh.rows());
            peak = jmh.peakGflops();
        }
        List<String> checks = new ArrayList<>();
        if (only.isEmpty() || peersOnly) {
            comparePeers(quick, threads, rows, checks);
        }
        BenchTable.print(rows, peak);
        checks.forEach(System.out::println);
    }

    /** The matching benchmarks, plus the peak's sgemm whenever NAME leaves it out. */
    private static ChainedOptionsBuilder jmhOptions(boolean quick, String only) {
        String library = System.getProperty("jnas.library", "");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.jnas\\.bench\\..*" + Pattern.quote(only) + ".*Bench")
                .forks(1)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Djnas.library=" + library)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000));
        if (!"GemmBench".contains(only)) {
            options.include("dev\\.jnas\\.bench\\.GemmBench\\.openblas$").param("shape", Shapes.PEAK_GEMM);
        }
        return options;
    }

    private static int threadCount(String[] args, int at) {
        try {
            int threads = Integer.parseInt(at < args.length ? args[at] : "");
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException("--threads needs a count of at least 1, got "
                + (at < args.length ? "'" + args[at] + "'" : "nothing"));
    }

    /**
     * The PyTorch workloads, each measured on both sides with the given number of threads; without the peer (no
     * torch), says why and leaves their rows out.
     */
    private static void comparePeers(boolean quick, int threads, List<Row> rows, List<String> checks) {
        StringBuilder whyNot = new StringBuilder();
        Optional<PythonPeer> python = PythonPeer.find(threads, whyNot);
        if (python.isEmpty()) {
            checks.add("PyTorch comparison skipped: " + whyNot);
            return;
        }
        List<PeerWorkload> workloads = List.of(new KappaRegionsPeer(quick), new PruningRoundPeer(quick),
                new SupernetStepPeer(quick), new HessianDiagPeer(quick));
        checks.add(String.format(Locale.ROOT, "PyTorch comparison: %s; jnas on as many (kappa+LR and the round: %d "
                + "single-threaded engines side by side, as jnas score and search run; the rest: one engine)",
                python.get().describe(), threads));
        for (PeerWorkload workload : workloads) {
            System.out.println("# peer: " + workload.getClass().getSimpleName());
            PeerWorkload.Outcome outcome = workload.measure(python.get(), threads);
            rows.addAll(outcome.rows());
            checks.add(outcome.check());
        }
    }
}
