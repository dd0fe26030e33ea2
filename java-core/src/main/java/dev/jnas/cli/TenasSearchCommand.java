package dev.jnas.cli;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.data.Nb201Table;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeDataSets;
import dev.jnas.report.TenasReport;
import dev.jnas.search.tenas.PruningSpace;
import dev.jnas.search.tenas.RepeatDraws;
import dev.jnas.search.tenas.RoundResult;
import dev.jnas.search.tenas.TenasPruner;
import dev.jnas.search.tenas.TenasSettings;
import dev.jnas.space.darts.DartsSpace;
import dev.jnas.space.nb201.Nb201PruningSpace;
import dev.jnas.store.EvaluationStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnas search tenas}: TE-NAS's pruning search. Rounds are checkpointed in the store, so a killed search
 * rerun with the same options resumes after its last finished round and prints the same result.
 */
@Command(name = "tenas", mixinStandardHelpOptions = true,
        description = "TE-NAS: prune a supernet by NTK condition number and linear regions (training-free).")
final class TenasSearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** TE-NAS's public code measures κ on DARTS's supernet with batches of 14 (CIFAR-10). */
    private static final int DARTS_BATCH = 14;

    /** Batched candidates per call on a GPU: every candidate of an NB201 round (25 at most) and the unpruned net. */
    private static final int AUTO_CUDA_CANDIDATES = 32;

    @Option(names = "--space", defaultValue = Nb201PruningSpace.NAME,
            description = "Search space: nb201 or darts (default: ${DEFAULT-VALUE}).")
    String space;

    @Mixin
    MeasurementOptions measurement;

    @Option(names = "--repeat-draws", defaultValue = "fresh",
            description = "fresh (new weights and inputs per repeat, as the paper) or inputs-only (weights drawn "
                    + "once per round, as the public code) (default: ${DEFAULT-VALUE}).")
    String draws;

    @Option(names = "--prune-number", paramLabel = "N",
            description = "Ops pruned per edge per round (default: the space's: nb201 1, darts 3 as TE-NAS on CIFAR; "
                    + "2 is its ImageNet setting).")
    Integer pruneNumber;

    @Option(names = "--candidates-per-call", paramLabel = "N|auto", defaultValue = "auto",
            description = "Batched candidates: measure up to N masks of a round in one call of the engine, as sample "
                    + "groups of one batch (frozen coupling only; halved where a call does not fit the device). "
                    + "auto: " + AUTO_CUDA_CANDIDATES + " on cuda with frozen coupling, else 1 (on a CPU a batched "
                    + "call costs as much per candidate as one by one) (default: ${DEFAULT-VALUE}).")
    String candidatesPerCall;

    @Option(names = "--nb201-table", paramLabel = "CSV",
            description = "NB201 accuracy table to look the searched cell up in (default: the shared one, if any).")
    Path nb201Table;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write result.json and rounds.log here.")
    Path outDirectory;

    @Option(names = "--json", description = "Print the result as JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PruningSpace pruningSpace = space(space);
        if (nb201Table != null && !(pruningSpace instanceof Nb201PruningSpace)) {
            throw new IllegalArgumentException("--nb201-table looks up NB201 cells; it does not apply to --space "
                    + pruningSpace.name());
        }
        if (pruningSpace instanceof DartsSpace && !spec.commandLine().getParseResult().hasMatchedOption("--batch")) {
            measurement.batch = DARTS_BATCH;
        }
        MetricSettings metrics = measurement.settings(EnumSet.of(MetricKind.NTK, MetricKind.LINEAR_REGIONS));
        TenasSettings settings = new TenasSettings(metrics, RepeatDraws.parse(draws),
                pruneNumber != null ? pruneNumber : pruningSpace.pruneNumber(), candidatesPerCall(metrics));
        Optional<Nb201Table> table = pruningSpace instanceof Nb201PruningSpace ? table() : Optional.empty();
        if (outDirectory != null) {
            ResultFile.requireWritable(outDirectory);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StringBuilder log = new StringBuilder();
        long start = System.nanoTime();
        TenasPruner.Result result;
        String device;
        List<Engine> engines = measurement.openEngines();
        try (EvaluationStore store = EvaluationStore.open(measurement.storeFile())) {
            device = MeasurementOptions.describe(engines);
            String searchKey = "tenas;space=" + pruningSpace.name() + ";seed=" + measurement.seed + ";"
                    + settings.key();
            ProgressBar progress = ProgressBar.on(err);
            TenasPruner pruner = new TenasPruner(pruningSpace, settings, measurement.seed);
            result = pruner.run(engines, ProbeDataSets.load(measurement.dataset), store.searchRounds(searchKey),
                    new TenasPruner.Listener() {
                        @Override
                        public void onProgress(int round, String scope, int done, int total) {
                            progress.update("round " + (round + 1) + " (" + scope + ")", done, total, "networks");
                        }

                        @Override
                        public void onRound(RoundResult round, boolean fromStore) {
                            String text = TenasReport.roundText(pruningSpace, round, fromStore);
                            log.append(text);
                            if (!json) {
                                out.print(text);
                                out.flush();
                            }
                        }
                    });
        } finally {
            engines.forEach(Engine::close);
        }
        TenasReport.Run run = new TenasReport.Run(pruningSpace.name(), measurement.seed, settings.key(), device,
                (System.nanoTime() - start) / 1e9, result, table.map(t -> benchmarkRow(t, pruningSpace, result)));
        String summary = TenasReport.summaryText(run);
        String resultJson = TenasReport.json(pruningSpace, run);
        out.print(json ? resultJson + "\n" : summary);
        out.flush();
        if (outDirectory != null) {
            ResultFile.write(outDirectory.resolve("result.json"), resultJson);
            ResultFile.write(outDirectory.resolve("rounds.log"), log + summary);
        }
        return ExitCodes.OK;
    }

    private int candidatesPerCall(MetricSettings metrics) {
        if ("auto".equals(candidatesPerCall)) {
            boolean batched = measurement.engineOptions.backend == Backend.CUDA
                    && metrics.coupling() == BnCoupling.FROZEN;
            return batched ? AUTO_CUDA_CANDIDATES : 1;
        }
        try {
            return Integer.parseInt(candidatesPerCall);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--candidates-per-call takes a count or auto, not '"
                    + candidatesPerCall + "'");
        }
    }

    private static PruningSpace space(String name) {
        if (Nb201PruningSpace.NAME.equals(name)) {
            return new Nb201PruningSpace();
        }
        if (DartsSpace.NAME.equals(name)) {
            return DartsSpace.cifar();
        }
        throw new IllegalArgumentException("unknown space '" + name + "'; known: " + Nb201PruningSpace.NAME + ", "
                + DartsSpace.NAME);
    }

    private Optional<Nb201Table> table() {
        return nb201Table != null ? Optional.of(Nb201Table.read(nb201Table)) : OptionalTable.load();
    }

    private static TenasReport.BenchmarkRow benchmarkRow(Nb201Table table, PruningSpace space,
                                                         TenasPruner.Result result) {
        int index = table.index(((Nb201PruningSpace) space).architecture(result.mask()));
        return new TenasReport.BenchmarkRow(index, table.accuracy(index, Nb201Table.Benchmark.CIFAR10),
                table.accuracy(index, Nb201Table.Benchmark.CIFAR100),
                table.accuracy(index, Nb201Table.Benchmark.IMAGENET16_120));
    }
}
