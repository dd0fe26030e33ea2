package dev.jnas.bench;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.data.Nb201Table;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeData;
import dev.jnas.metrics.ProbeDataSets;
import dev.jnas.search.tenas.RepeatDraws;
import dev.jnas.search.tenas.RoundCheckpoints;
import dev.jnas.search.tenas.RoundResult;
import dev.jnas.search.tenas.TenasPruner;
import dev.jnas.search.tenas.TenasSettings;
import dev.jnas.space.nb201.Nb201PruningSpace;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * `./jnas bench tenas-search [--seeds 0,1,2,3] [--datasets fashion-mnist,synthetic] [--couplings frozen,exact]
 * [--repeat 3] [--workers N]`: whole NB201 TE-NAS searches, never from the store, each timed end to end with the split between
 * κ and linear regions, and the searched cells' NB201 accuracies with their means per (dataset, coupling).
 */
public final class TenasSearchBench {
    private TenasSearchBench() {
    }

    public static void main(String[] args) {
        List<String> seeds = option(args, "--seeds", "0,1,2,3");
        List<String> datasets = option(args, "--datasets", "fashion-mnist,synthetic");
        List<String> couplings = option(args, "--couplings", "frozen");
        int repeats = Integer.parseInt(option(args, "--repeat", "" + MetricSettings.DEFAULT_REPEATS).get(0));
        Nb201Table table = Nb201Table.readDefault();
        Nb201PruningSpace space = new Nb201PruningSpace();
        System.out.printf(Locale.ROOT, "%-14s %-7s %4s %8s %8s %8s %8s %9s %9s %9s  %s%n", "dataset", "coupling", "seed",
                "index", "C10", "C100", "IN16", "seconds", "kappa s", "regions s", "architecture");
        int workers = Integer.parseInt(option(args, "--workers", "" + Runtime.getRuntime().availableProcessors()).get(0));
        List<Engine> engines = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                engines.add(Engine.open(Backend.CPU));
                engines.get(w).setThreads(workers == 1 ? 0 : 1);
            }
            for (String dataset : datasets) {
                ProbeData data = ProbeDataSets.load(dataset);
                for (String coupling : couplings) {
                    TenasSettings settings = new TenasSettings(new MetricSettings(EnumSet.of(MetricKind.NTK,
                            MetricKind.LINEAR_REGIONS), MetricSettings.DEFAULT_BATCH, repeats,
                            InitScheme.PYTORCH_DEFAULT, BnCoupling.valueOf(coupling.toUpperCase(Locale.ROOT)),
                            ProbeDataSets.key(dataset)), RepeatDraws.FRESH, space.pruneNumber());
                    double[] sums = new double[4];
                    for (String seed : seeds) {
                        long start = System.nanoTime();
                        TenasPruner.Result result = new TenasPruner(space, settings, Long.parseLong(seed))
                                .run(engines, data, RoundCheckpoints.NONE, new TenasPruner.Listener() { });
                        double seconds = (System.nanoTime() - start) / 1e9;
                        int index = table.index(space.architecture(result.mask()));
                        double[] accuracy = {table.accuracy(index, Nb201Table.Benchmark.CIFAR10),
                            table.accuracy(index, Nb201Table.Benchmark.CIFAR100),
                            table.accuracy(index, Nb201Table.Benchmark.IMAGENET16_120)};
                        for (int i = 0; i < 3; i++) {
                            sums[i] += accuracy[i];
                        }
                        sums[3] += seconds;
                        System.out.printf(Locale.ROOT, "%-14s %-7s %4s %8d %8.2f %8.2f %8.2f %9.1f %9.1f %9.1f  %s%n",
                                dataset, coupling, seed, index, accuracy[0], accuracy[1], accuracy[2], seconds,
                                result.rounds().stream().mapToDouble(RoundResult::kappaSeconds).sum(),
                                result.rounds().stream().mapToDouble(RoundResult::regionSeconds).sum(),
                                result.architecture());
                    }
                    int n = seeds.size();
                    System.out.printf(Locale.ROOT, "%-14s %-7s %4s %8s %8.2f %8.2f %8.2f %9.1f%n", dataset, coupling,
                            "mean", "", sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n);
                }
            }
        } finally {
            engines.forEach(Engine::close);
        }
    }

    private static List<String> option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return List.of(args[i + 1].split(","));
            }
        }
        return List.of(fallback.split(","));
    }
}
