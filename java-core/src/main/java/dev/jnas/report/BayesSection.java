package dev.jnas.report;

import dev.jnas.search.bayesnas.EntropyRule;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * A BayesNAS search (search.json with method bayesnas): its settings, the derived genotype, the switch groups
 * each iteration pruned, and every group's γ per iteration against the entropy rule's threshold.
 */
final class BayesSection {
    static final String METHOD = "bayesnas";
    private static final Color[] ITERATIONS = {Charts.BLUE, Charts.GREEN, Charts.RED, new Color(148, 103, 189),
        new Color(140, 86, 75)};

    private BayesSection() {
    }

    static void write(RunJson result, ReportPage page) {
        page.section("BayesNAS search", result.file());
        List<RunJson> iterations = result.list("iterations");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("data", result.text("dataset") + ", " + Format.count(result.integer("train_images")) + " images");
        facts.put("supernet", "C = " + result.integer("channels") + ", " + result.text("topology"));
        facts.put("λ origin, λ op", result.number("lambda_origin") + ", " + result.number("lambda_op"));
        facts.put("batch", Long.toString(result.integer("batch")));
        facts.put("seed", Long.toString(result.integer("seed")));
        facts.put("iterations", Integer.toString(iterations.size()));
        if (!iterations.isEmpty()) {
            List<RunJson> last = iterations.get(iterations.size() - 1).items();
            facts.put("switch groups pruned", pruned(last) + " of " + last.size());
        }
        facts.put("genotype", result.text("genotype"));
        facts.put("search seconds", Format.fixed(result.number("seconds"), 1));
        page.facts(facts);
        if (iterations.isEmpty()) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < iterations.size(); i++) {
            List<RunJson> groups = iterations.get(i).items();
            rows.add(List.of(Integer.toString(i + 1), Integer.toString(groups.size()),
                    Integer.toString(pruned(groups))));
        }
        page.table(List.of("iteration", "switch groups", "pruned"), rows);
        page.figure("gamma", "Every switch group's γ after each iteration, largest first (log scale); groups at or "
                + "below the dashed threshold 1/(2πe) are pruned.", List.of(gammas(iterations)), 1);
    }

    private static int pruned(List<RunJson> groups) {
        return (int) groups.stream().filter(group -> group.flag("pruned")).count();
    }

    /** γ sorted descending per iteration; zero or non-finite γ cannot sit on the log scale and are left out. */
    private static XYChart gammas(List<RunJson> iterations) {
        XYChart chart = Charts.scatter("γ per switch group", "switch group (by γ, descending)", "γ (log scale)",
                Charts.WIDTH, Charts.HEIGHT);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(4);
        int groups = 0;
        for (int i = 0; i < iterations.size(); i++) {
            double[] gammas = iterations.get(i).items().stream().mapToDouble(group -> group.number("gamma"))
                    .filter(gamma -> gamma > 0 && Double.isFinite(gamma)).map(gamma -> -gamma).sorted()
                    .map(gamma -> -gamma).toArray();
            List<double[]> points = new ArrayList<>();
            for (int g = 0; g < gammas.length; g++) {
                points.add(new double[] {g + 1, gammas[g]});
            }
            groups = Math.max(groups, gammas.length);
            Charts.points(chart, "iteration " + (i + 1), points, ITERATIONS[i % ITERATIONS.length]);
        }
        if (groups > 0) {
            Charts.guide(chart, "threshold", 1, EntropyRule.VARIANCE_THRESHOLD, groups, EntropyRule.VARIANCE_THRESHOLD);
        }
        return chart;
    }
}
