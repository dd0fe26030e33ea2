package dev.jnas.report;

import dev.jnas.search.alphanas.evolution.FitnessKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An αNAS evolution (alphanas.json): its size and time, both Pareto fronts as a table, and the plot of every
 * individual with the fronts ({@link ParetoPlot}).
 */
final class AlphanasSection {
    static final String METHOD = "alphanas";

    private AlphanasSection() {
    }

    static void write(RunJson result, ReportPage page) {
        page.section("αNAS evolution", result.file());
        FitnessKind kind = FitnessKind.parse(result.text("fitness"));
        List<RunJson> individuals = result.list("individuals");
        List<RunJson> byParameters = result.list("front_parameters");
        List<RunJson> byMacs = result.list("front_macs");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("run", result.text("run"));
        facts.put("fitness", kind.optionName());
        facts.put("quality", result.text("quality"));
        facts.put("individuals", Integer.toString(individuals.size()));
        facts.put("best quality", Format.fixed(individuals.stream().mapToDouble(i -> i.number("quality"))
                .filter(Double::isFinite).max().orElse(Double.NaN), 4));
        facts.put("front sizes (parameters, MACs)", byParameters.size() + ", " + byMacs.size());
        facts.put("seconds", Format.fixed(result.number("seconds"), 1));
        page.facts(facts);

        List<List<String>> rows = new ArrayList<>();
        addRows(rows, "parameters", byParameters);
        addRows(rows, "MACs", byMacs);
        page.table(List.of("front", "generation", "quality", "parameters", "MACs"), rows);
        Path png = page.pngPath("front");
        ParetoPlot.write(png, kind, points(individuals), points(byParameters), points(byMacs));
        page.show(png, "Quality against parameters and against MACs (log scale): grey every usable individual, "
                + "blue the seed model's evaluations, red the Pareto front.");
    }

    private static void addRows(List<List<String>> rows, String front, List<RunJson> members) {
        for (RunJson member : members) {
            rows.add(List.of(front, Long.toString(member.integer("generation")),
                    Format.fixed(member.number("quality"), 4), Format.count(member.integer("parameters")),
                    Format.count(member.integer("macs"))));
        }
    }

    private static List<ParetoPlot.Point> points(List<RunJson> individuals) {
        return individuals.stream().map(i -> new ParetoPlot.Point(i.integer("parameters"), i.integer("macs"),
                i.number("quality"), !i.has("parent"))).toList();
    }
}
