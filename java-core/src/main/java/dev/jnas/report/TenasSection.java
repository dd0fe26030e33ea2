package dev.jnas.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

/**
 * A TE-NAS search (result.json): the searched architecture and its benchmark accuracies, a table of the rounds,
 * and per round the κ and linear-region deltas of every candidate, the pruned ones in red.
 */
final class TenasSection {
    static final String METHOD = "tenas";
    /** Pixels per candidate bar, so that a DARTS round's hundreds of labels do not overlap. */
    private static final int BAR_PIXELS = 14;

    private TenasSection() {
    }

    static void write(RunJson result, ReportPage page) {
        page.section("TE-NAS search", result.file());
        List<RunJson> rounds = result.list("rounds");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("space", result.text("space"));
        facts.put("architecture", result.text("architecture"));
        if (result.has("nb201")) {
            RunJson nb201 = result.object("nb201");
            facts.put("NB201 index", Long.toString(nb201.integer("index")));
            facts.put("CIFAR-10 test accuracy", Format.fixed(nb201.number("cifar10"), 2) + "%");
            facts.put("CIFAR-100 test accuracy", Format.fixed(nb201.number("cifar100"), 2) + "%");
            facts.put("ImageNet16-120 test accuracy", Format.fixed(nb201.number("imagenet16_120"), 2) + "%");
        }
        facts.put("rounds", rounds.size() + " (" + result.integer("resumed_rounds") + " from the store)");
        facts.put("search seconds", Format.fixed(result.number("seconds"), 1));
        facts.put("seed", Long.toString(result.integer("seed")));
        facts.put("settings", result.text("settings"));
        facts.put("device", result.text("device"));
        page.facts(facts);

        List<List<String>> rows = new ArrayList<>();
        for (RunJson round : rounds) {
            List<RunJson> ranking = round.list("ranking");
            boolean cells = severalCells(ranking);
            List<String> pruned = ranking.stream().filter(candidate -> candidate.flag("pruned"))
                    .map(candidate -> label(candidate, cells)).toList();
            rows.add(List.of(Long.toString(round.integer("round")), round.text("scope"),
                    Integer.toString(ranking.size()), Format.fixed(round.number("seconds"), 2),
                    Format.significant(round.number("base_kappa")), Format.significant(round.number("base_regions")),
                    String.join(", ", pruned)));
        }
        page.table(List.of("round", "scope", "candidates", "seconds", "unpruned κ", "unpruned regions", "pruned"),
                rows);
        for (RunJson round : rounds) {
            roundFigure(round, page);
        }
    }

    /**
     * One round's two panels, stacked so that a candidate's two bars line up: the change of κ and of the
     * linear-region count when the candidate is pruned. Non-finite deltas are not drawn.
     */
    private static void roundFigure(RunJson round, ReportPage page) {
        List<RunJson> ranking = round.list("ranking");
        boolean cells = severalCells(ranking);
        List<String> labels = ranking.stream().map(candidate -> label(candidate, cells)).toList();
        long number = round.integer("round");
        List<CategoryChart> panels = new ArrayList<>();
        panel(number, "Δκ", "delta_kappa", ranking, labels).ifPresent(panels::add);
        panel(number, "Δ linear regions", "delta_regions", ranking, labels).ifPresent(panels::add);
        if (panels.isEmpty()) {
            page.paragraph("Round " + number + ": no finite delta to plot.");
            return;
        }
        page.figure("round-" + number, "Round " + number + " (" + round.text("scope") + "): the change of κ and of "
                + "the linear regions when each candidate op is pruned; red: the op pruned on its edge.", panels, 1);
    }

    /** The panel of one delta; empty where no candidate has a finite one (XChart draws no bar chart without bars). */
    private static Optional<CategoryChart> panel(long round, String title, String member, List<RunJson> ranking,
                                                 List<String> labels) {
        CategoryChart chart = Charts.bars("round " + round + ": " + title + " per candidate", "candidate", title,
                Math.max(Charts.WIDTH, 120 + BAR_PIXELS * ranking.size()), Charts.HEIGHT);
        // Each candidate has one bar, in the kept or the pruned series: overlapping puts it in the middle.
        chart.getStyler().setOverlapped(true);
        boolean kept = bars(chart, "kept", labels, ranking, member, false, Charts.GREY);
        boolean pruned = bars(chart, "pruned", labels, ranking, member, true, Charts.RED);
        return kept || pruned ? Optional.of(chart) : Optional.empty();
    }

    /** The candidates' deltas of one kind (pruned or kept), the others' bars left empty; false if none is drawn. */
    private static boolean bars(CategoryChart chart, String name, List<String> labels, List<RunJson> ranking,
                                String member, boolean pruned, Color color) {
        List<Double> values = new ArrayList<>();
        boolean any = false;
        for (RunJson candidate : ranking) {
            double value = candidate.number(member);
            boolean shown = candidate.flag("pruned") == pruned && Double.isFinite(value);
            values.add(shown ? value : null);
            any |= shown;
        }
        if (any) {
            CategorySeries series = chart.addSeries(name, labels, values);
            series.setFillColor(color);
        }
        return any;
    }

    private static boolean severalCells(List<RunJson> ranking) {
        return ranking.stream().map(candidate -> candidate.text("cell")).distinct().count() > 1;
    }

    /** "edge op", led by the cell type where the space has several. */
    private static String label(RunJson candidate, boolean cell) {
        return (cell ? candidate.text("cell") + " " : "") + candidate.text("edge") + " " + candidate.text("op");
    }
}
