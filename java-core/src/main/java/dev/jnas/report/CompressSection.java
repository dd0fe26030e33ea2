package dev.jnas.report;

import dev.jnas.search.compress.Compression;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.style.Styler;

/**
 * A BayesNAS compression (compress.json): its settings, each network's widths, parameters, MACs and test
 * accuracy, what pruning removed, and the width of every layer per network.
 */
final class CompressSection {
    static final String METHOD = "bayesnas-compression";
    private static final Color[] NETWORKS = {Charts.GREY, Charts.BLUE, Charts.RED, Charts.GREEN};

    private CompressSection() {
    }

    static void write(RunJson result, ReportPage page) {
        page.section("BayesNAS compression", result.file());
        List<RunJson> networks = result.list("networks");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("model", result.text("model"));
        facts.put("data", result.text("dataset") + ", " + Format.count(result.integer("train_images")) + " images");
        facts.put("λ", Double.toString(result.number("lambda")));
        facts.put("epochs (weights, joint, fine-tuning)", result.integer("weight_epochs") + ", "
                + result.integer("joint_epochs") + ", " + result.integer("fine_tune_epochs"));
        facts.put("seed", Long.toString(result.integer("seed")));
        Optional<RunJson> trained = network(networks, Compression.TRAINED);
        Optional<RunJson> tuned = network(networks, Compression.FINE_TUNED);
        if (trained.isPresent() && tuned.isPresent()) {
            facts.put("parameters removed", removed(trained.get(), tuned.get(), "parameters"));
            facts.put("MACs removed", removed(trained.get(), tuned.get(), "macs"));
        }
        facts.put("seconds", Format.fixed(result.number("seconds"), 1));
        page.facts(facts);

        List<List<String>> rows = new ArrayList<>();
        for (RunJson network : networks) {
            rows.add(List.of(network.text("network"), widths(network).toString(),
                    Format.count(network.integer("parameters")), Format.count(network.integer("macs")),
                    Format.percent(network.number("test_accuracy"))));
        }
        page.table(List.of("network", "widths", "parameters", "MACs", "test accuracy"), rows);
        if (!networks.isEmpty()) {
            page.figure("widths", "Units (filters or neurons) per layer of each network.",
                    List.of(widthChart(networks, layers(result, widths(networks.get(0)).size()))), 1);
        }
    }

    private static Optional<RunJson> network(List<RunJson> networks, String label) {
        return networks.stream().filter(network -> network.text("network").equals(label)).findFirst();
    }

    private static String removed(RunJson before, RunJson after, String member) {
        double was = before.integer(member);
        return Format.percent((was - after.integer(member)) / was);
    }

    private static List<Long> widths(RunJson network) {
        return Arrays.stream(network.integers("widths")).boxed().toList();
    }

    /** The layers' names in order, from the first switch update; "layer i" where no update was logged. */
    private static List<String> layers(RunJson result, int count) {
        List<RunJson> updates = result.list("updates");
        List<String> names = updates.isEmpty() ? List.of()
                : updates.get(0).items().stream().map(unit -> unit.text("layer")).distinct().toList();
        if (names.size() == count) {
            return names;
        }
        List<String> numbered = new ArrayList<>();
        for (int l = 1; l <= count; l++) {
            numbered.add("layer " + l);
        }
        return numbered;
    }

    private static CategoryChart widthChart(List<RunJson> networks, List<String> layers) {
        CategoryChart chart = Charts.bars("units per layer", "layer", "units", Charts.WIDTH, Charts.HEIGHT);
        chart.getStyler().setXAxisLabelRotation(0);
        // The first layers are the narrow ones, so the legend goes over them.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (int n = 0; n < networks.size(); n++) {
            chart.addSeries(networks.get(n).text("network"), layers, widths(networks.get(n)))
                    .setFillColor(NETWORKS[n % NETWORKS.length]);
        }
        return chart;
    }
}
