package dev.jnas.report;

import dev.jnas.data.Nb201Table;
import dev.jnas.data.Nb201Table.Benchmark;
import dev.jnas.metrics.MetricCorrelations;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.Score;
import dev.jnas.space.nb201.Nb201Architecture;
import dev.jnas.space.nb201.Nb201PruningSpace;
import dev.jnas.store.EvaluationStore;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/**
 * The sweeps of an evaluation store (jnas score or correlate with --store in the run directory): per space,
 * settings and seed, how many cells were scored, κ against the linear-region count of every cell where both
 * rank, and, with the NB201 table, the cells coloured by CIFAR-10 accuracy and Kendall τ-b of each metric.
 */
final class SweepSection {
    /** Accuracy bands of the scatter, equally filled, dark (low) to light (high): viridis. */
    private static final Color[] BANDS = {new Color(0x44, 0x01, 0x54), new Color(0x3b, 0x52, 0x8b),
        new Color(0x21, 0x91, 0x8c), new Color(0x5e, 0xc9, 0x62), new Color(0xfd, 0xe7, 0x25)};

    private SweepSection() {
    }

    /** A scored cell with its CIFAR-10 accuracy, NaN without a table. */
    private record Cell(Score score, double accuracy) {
    }

    /** @return false when the store holds no evaluations, so there is nothing to show */
    static boolean write(Path storeFile, Optional<Nb201Table> table, ReportPage page) {
        try (EvaluationStore store = EvaluationStore.open(storeFile)) {
            List<EvaluationStore.Sweep> sweeps = store.sweeps();
            if (sweeps.isEmpty()) {
                return false;
            }
            page.section("Training-free metric sweeps", storeFile);
            for (int s = 0; s < sweeps.size(); s++) {
                EvaluationStore.Sweep sweep = sweeps.get(s);
                Map<String, Score> scores = new TreeMap<>(store.findAll(sweep.space(), sweep.settings(),
                        sweep.seed()));
                sweep(sweep, scores, table.filter(t -> Nb201PruningSpace.NAME.equals(sweep.space())), page,
                        "sweep-" + (s + 1));
            }
            return true;
        }
    }

    private static void sweep(EvaluationStore.Sweep sweep, Map<String, Score> scores, Optional<Nb201Table> table,
                              ReportPage page, String figureName) {
        page.heading(sweep.space() + ", seed " + sweep.seed() + ": " + sweep.settings());
        Set<MetricKind> metrics = EnumSet.noneOf(MetricKind.class);
        scores.values().forEach(score -> metrics.addAll(score.values().keySet()));
        List<Cell> cells = new ArrayList<>();
        int[] indices = new int[scores.size()];
        scores.forEach((architecture, score) -> {
            int index = table.map(t -> t.index(Nb201Architecture.parse(architecture))).orElse(-1);
            indices[cells.size()] = index;
            cells.add(new Cell(score,
                    table.map(t -> t.accuracy(index, Benchmark.CIFAR10)).orElse(Double.NaN)));
        });
        List<Cell> plotted = cells.stream().filter(cell -> MetricCorrelations.ranks(MetricKind.NTK, cell.score())
                && MetricCorrelations.ranks(MetricKind.LINEAR_REGIONS, cell.score())
                && value(cell, MetricKind.NTK) > 0).toList();

        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("space", sweep.space());
        facts.put("seed", Long.toString(sweep.seed()));
        facts.put("settings", sweep.settings());
        facts.put("cells", Format.count(sweep.evaluations()));
        facts.put("metrics", MetricKind.formatList(metrics));
        facts.put("cells with κ and linear regions that rank", Format.count(plotted.size()));
        page.facts(facts);
        table.ifPresent(t -> correlations(MetricCorrelations.compute(metrics,
                cells.stream().map(Cell::score).toList(), indices, t), page));
        if (!plotted.isEmpty()) {
            page.figure(figureName + "-kappa-regions", "κ against linear regions per cell" + (table.isPresent()
                    ? ", coloured by NB201 CIFAR-10 test accuracy (bands of equally many cells)" : "") + ".",
                    List.of(scatter(plotted, table.isPresent())), 1);
        }
    }

    private static void correlations(List<MetricCorrelations.Row> rows, ReportPage page) {
        List<String> header = new ArrayList<>(List.of("metric", "cells ranked", "left out"));
        for (Benchmark benchmark : Benchmark.values()) {
            header.add("τ-b " + name(benchmark));
        }
        List<List<String>> lines = new ArrayList<>();
        for (MetricCorrelations.Row row : rows) {
            List<String> line = new ArrayList<>(List.of(row.metric().columnName(), Format.count(row.used()),
                    Format.count(row.excluded())));
            for (Benchmark benchmark : Benchmark.values()) {
                line.add(Format.fixed(row.tau().get(benchmark), 3));
            }
            lines.add(line);
        }
        page.paragraph("Kendall τ-b of each metric against NB201's test accuracies (200 epochs).");
        page.table(header, lines);
    }

    private static XYChart scatter(List<Cell> cells, boolean coloured) {
        XYChart chart = Charts.scatter("κ vs linear regions", "NTK condition number κ (log scale)",
                "linear regions", Charts.WIDTH + 160, Charts.HEIGHT);
        chart.getStyler().setXAxisLogarithmic(true);
        // A cloud of cells fills the panel, so the legend stands beside it.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(5);
        if (!coloured) {
            Charts.points(chart, "cells", cells.stream().map(SweepSection::xy).toList(), Charts.BLUE);
            return chart;
        }
        List<Cell> byAccuracy = cells.stream().sorted(Comparator.comparingDouble(Cell::accuracy)).toList();
        int bands = Math.min(BANDS.length, byAccuracy.size());
        for (int b = 0; b < bands; b++) {
            List<Cell> band = byAccuracy.subList(b * byAccuracy.size() / bands, (b + 1) * byAccuracy.size() / bands);
            String name = "CIFAR-10 " + Format.fixed(band.get(0).accuracy(), 1) + "–"
                    + Format.fixed(band.get(band.size() - 1).accuracy(), 1) + "%";
            Charts.points(chart, name, band.stream().map(SweepSection::xy).toList(), BANDS[b]);
        }
        return chart;
    }

    private static double[] xy(Cell cell) {
        return new double[] {value(cell, MetricKind.NTK), value(cell, MetricKind.LINEAR_REGIONS)};
    }

    private static double value(Cell cell, MetricKind metric) {
        return cell.score().value(metric).orElseThrow();
    }

    private static String name(Benchmark benchmark) {
        return switch (benchmark) {
            case CIFAR10 -> "CIFAR-10";
            case CIFAR100 -> "CIFAR-100";
            case IMAGENET16_120 -> "ImageNet16-120";
        };
    }
}
