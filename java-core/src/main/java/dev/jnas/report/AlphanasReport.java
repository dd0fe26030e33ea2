package dev.jnas.report;

import dev.jnas.search.alphanas.evolution.Fitness;
import dev.jnas.search.alphanas.evolution.FitnessKind;
import dev.jnas.search.alphanas.evolution.Individual;
import dev.jnas.search.alphanas.evolution.ParetoFront;
import dev.jnas.space.program.ProgramText;
import java.util.List;
import java.util.Locale;

/**
 * An αNAS run's result: every individual with its lineage and fitness, and the Pareto fronts (quality against
 * parameters and against MACs) with their programs as {@link ProgramText} lines.
 */
public final class AlphanasReport {
    private AlphanasReport() {
    }

    /** @param run the run's canonical text, as it keys the store */
    public static String json(String run, FitnessKind kind, List<Individual> population, ParetoFront front,
                              double seconds) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("method").value(AlphanasSection.METHOD);
        json.name("run").value(run);
        json.name("fitness").value(kind.optionName());
        json.name("quality").value(kind == FitnessKind.TRAIN ? "test accuracy"
                : "rank sum of ntk_cond and naswot within the population");
        json.name("seconds").value(seconds);
        json.name("individuals").beginArray();
        for (int i = 0; i < population.size(); i++) {
            individual(json, population.get(i), front.qualities()[i], false);
        }
        json.endArray();
        frontArray(json, "front_parameters", front.byParameters(), population, front);
        frontArray(json, "front_macs", front.byMacs(), population, front);
        return json.endObject().toString();
    }

    /** One line per front member, then the totals. */
    public static String text(List<Individual> population, ParetoFront front, double seconds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d individuals in %.1f s%n", population.size(), seconds));
        frontText(out, "quality vs parameters", front.byParameters(), population, front);
        frontText(out, "quality vs MACs", front.byMacs(), population, front);
        return out.toString();
    }

    private static void frontText(StringBuilder out, String title, List<Individual> members,
                                  List<Individual> population, ParetoFront front) {
        out.append("Pareto front, ").append(title).append(':').append(System.lineSeparator());
        for (Individual member : members) {
            Fitness fitness = member.fitness();
            out.append(String.format(Locale.ROOT, "  generation %3d  quality %.4f  %,12d parameters  %,14d MACs%n",
                    member.generation(), front.qualities()[population.indexOf(member)], fitness.parameters(),
                    fitness.macs()));
        }
    }

    private static void frontArray(JsonWriter json, String name, List<Individual> members,
                                   List<Individual> population, ParetoFront front) {
        json.name(name).beginArray();
        for (Individual member : members) {
            individual(json, member, front.qualities()[population.indexOf(member)], true);
        }
        json.endArray();
    }

    private static void individual(JsonWriter json, Individual individual, double quality, boolean program) {
        Fitness fitness = individual.fitness();
        json.beginObject();
        json.name("generation").value(individual.generation());
        json.name("parent");
        if (individual.parent().isPresent()) {
            json.value(individual.parent().getAsInt());
        } else {
            json.value((String) null);
        }
        json.name("quality").value(quality);
        json.name("accuracy").value(fitness.accuracy());
        json.name("parameters").value(fitness.parameters());
        json.name("macs").value(fitness.macs());
        json.name("ntk_cond").value(fitness.ntkCondition());
        json.name("linear_regions").value(fitness.linearRegions());
        json.name("naswot").value(fitness.naswot());
        json.name("seconds").value(fitness.seconds());
        if (program) {
            json.name("program").beginArray();
            ProgramText.lines(individual.graph()).forEach(json::value);
            json.endArray();
        }
        json.endObject();
    }
}
