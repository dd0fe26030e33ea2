package dev.jnas.cli;

import dev.jnas.data.Nb201Table;
import dev.jnas.data.Nb201Table.Benchmark;
import dev.jnas.metrics.MetricCorrelations;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.Score;
import dev.jnas.space.nb201.Nb201Architecture;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnas correlate}: scores a seeded random sample of NB201 cells (through the store, so it resumes) and
 * prints Kendall τ-b of each metric against each test-accuracy column of the NB201 table.
 */
@Command(name = "correlate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Kendall tau-b of training-free metrics against NB201 test accuracies on a random sample.")
final class CorrelateCommand implements Callable<Integer> {
    private static final String[] BENCHMARK_NAMES = {"CIFAR-10", "CIFAR-100", "ImageNet16-120"};

    @Spec
    CommandSpec spec;

    @Option(names = "--sample", required = true, paramLabel = "N", description = "Cells in the random sample.")
    int sample;

    @Mixin
    ScoringOptions scoring;

    @Override
    public Integer call() {
        List<Nb201Architecture> architectures = ArchitectureSample.draw(sample, scoring.measurement.seed);
        MetricSettings settings = scoring.settings();
        Nb201Table table = Nb201Table.readDefault();
        List<Score> scores = new ArrayList<>();
        long start = System.nanoTime();
        ScoringSession.run(scoring, architectures, spec.commandLine().getErr(),
                (arch, score, stored, done, total) -> scores.add(score));
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] indices = architectures.stream().mapToInt(table::index).toArray();
        print(spec.commandLine().getOut(), settings,
                MetricCorrelations.compute(settings.metrics(), scores, indices, table), seconds);
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, MetricSettings settings, List<MetricCorrelations.Row> rows, double seconds) {
        out.printf(Locale.ROOT, "Kendall tau-b against NB201 test accuracy: %d cells, seed %d, %s, %.1f s%n", sample,
                scoring.measurement.seed, settings.key(), seconds);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-15s %6s %8s", "metric", "cells",
                "left out"));
        for (String name : BENCHMARK_NAMES) {
            header.append(String.format(Locale.ROOT, " %15s", name));
        }
        out.println(header);
        for (MetricCorrelations.Row row : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-15s %6d %8d",
                    row.metric().columnName(), row.used(), row.excluded()));
            for (Benchmark benchmark : Benchmark.values()) {
                line.append(String.format(Locale.ROOT, " %+15.3f", row.tau().get(benchmark)));
            }
            out.println(line);
        }
        out.flush();
    }
}
