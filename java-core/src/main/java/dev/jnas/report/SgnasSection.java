package dev.jnas.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * An SGNAS search (search.json of its run directory) or the JSON of {@code jnas generate sgnas --json} saved
 * beside it: the generator's architectures for the targets, their FLOPs against the target (ideally on the
 * diagonal) and, where they were scored, their held-out accuracy next to the random baseline of similar FLOPs.
 */
final class SgnasSection {
    static final String METHOD = "sgnas";
    static final String GENERATE_METHOD = "sgnas-generate";

    private SgnasSection() {
    }

    static void write(RunJson result, ReportPage page) {
        page.section("SGNAS search", result.file());
        List<RunJson> architectures = result.list("architectures");
        double[] range = result.numbers("range");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("supernet layout", result.text("layout"));
        facts.put("data", result.text("dataset") + ", " + Format.count(result.integer("train_images")) + " images ("
                + Format.count(result.integer("held_out")) + " held out)");
        facts.put("FLOPs target range", "[" + range[0] + ", " + range[1] + ") MFLOPs");
        facts.put("seed", Long.toString(result.integer("seed")));
        facts.put("Kendall τ(target, FLOPs)", Format.fixed(result.number("kendall_tau"), 3));
        facts.put("total constraint loss", Format.fixed(result.number("total_constraint_loss"), 4));
        accuracies(architectures, facts);
        facts.put("search seconds", Format.fixed(result.number("seconds"), 1));
        page.facts(facts);
        figures(architectures, page);
    }

    static void writeGenerated(RunJson result, ReportPage page) {
        page.section("SGNAS generated architectures", result.file());
        List<RunJson> architectures = result.list("architectures");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("run", result.text("run"));
        facts.put("generator pass", Format.fixed(1e3 * result.number("generate_seconds"), 2) + " ms");
        accuracies(architectures, facts);
        page.facts(facts);
        List<List<String>> rows = new ArrayList<>();
        for (RunJson a : architectures) {
            rows.add(List.of(Format.fixed(a.number("target"), 4), Format.fixed(a.number("table_mflops"), 4),
                    Format.fixed(a.number("exact_mflops"), 4), Format.percent(a.number("accuracy")),
                    a.text("architecture")));
        }
        page.table(List.of("target (MFLOPs)", "table FLOPs", "exact FLOPs", "accuracy", "architecture"), rows);
        figures(architectures, page);
    }

    /** How many architectures, and their mean accuracies where they were scored. */
    private static void accuracies(List<RunJson> architectures, Map<String, String> facts) {
        facts.put("architectures", Integer.toString(architectures.size()));
        double accuracy = mean(architectures, "accuracy");
        if (!Double.isNaN(accuracy)) {
            facts.put("mean held-out accuracy", Format.percent(accuracy));
            facts.put("mean random-baseline accuracy", Format.percent(mean(architectures, "random_accuracy")));
        }
    }

    private static void figures(List<RunJson> architectures, ReportPage page) {
        page.figure("flops", "FLOPs of each generated architecture against its target (MFLOPs), from the FLOPs "
                + "table and counted on the built network; the dashed line is FLOPs = target.",
                List.of(flops(architectures)), 1);
        if (!Double.isNaN(mean(architectures, "accuracy"))) {
            page.figure("accuracy", "Held-out accuracy of each generated architecture and the mean of random "
                    + "architectures of similar FLOPs, against the exact FLOPs.", List.of(accuracy(architectures)), 1);
        }
    }

    private static XYChart flops(List<RunJson> architectures) {
        XYChart chart = Charts.scatter("generated FLOPs vs target", "target (MFLOPs)", "FLOPs (MFLOPs)",
                Charts.WIDTH, Charts.HEIGHT);
        List<double[]> table = new ArrayList<>();
        List<double[]> exact = new ArrayList<>();
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (RunJson a : architectures) {
            double target = a.number("target");
            table.add(new double[] {target, a.number("table_mflops")});
            exact.add(new double[] {target, a.number("exact_mflops")});
            low = Math.min(low, target);
            high = Math.max(high, target);
        }
        if (low < high) {
            Charts.guide(chart, "FLOPs = target", low, low, high, high);
        }
        Charts.points(chart, "table FLOPs", table, Charts.BLUE);
        // The two counts agree wherever the table is exact: a cross over the dot keeps both visible.
        Charts.points(chart, "exact FLOPs", exact, Charts.RED)
                .ifPresent(series -> series.setMarker(SeriesMarkers.CROSS));
        return chart;
    }

    private static XYChart accuracy(List<RunJson> architectures) {
        XYChart chart = Charts.scatter("held-out accuracy vs FLOPs", "exact FLOPs (MFLOPs)", "accuracy (%)",
                Charts.WIDTH, Charts.HEIGHT);
        List<double[]> generated = new ArrayList<>();
        List<double[]> random = new ArrayList<>();
        for (RunJson a : architectures) {
            double flops = a.number("exact_mflops");
            add(generated, flops, a.number("accuracy"));
            add(random, flops, a.number("random_accuracy"));
        }
        Charts.points(chart, "generated", generated, Charts.RED);
        Charts.points(chart, "random (mean)", random, Charts.GREY);
        return chart;
    }

    private static void add(List<double[]> points, double flops, double accuracy) {
        if (Double.isFinite(accuracy)) {
            points.add(new double[] {flops, 100 * accuracy});
        }
    }

    /** The mean of a member over the architectures where it is a number; NaN where it is nowhere. */
    private static double mean(List<RunJson> architectures, String member) {
        return architectures.stream().mapToDouble(a -> a.number(member)).filter(Double::isFinite).average()
                .orElse(Double.NaN);
    }
}
