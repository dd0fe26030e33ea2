package dev.jnas.report;

import dev.jnas.search.bayesnas.BayesSearch;
import dev.jnas.search.bayesnas.BayesSearchSettings;
import dev.jnas.search.bayesnas.GroupUpdate;
import java.util.List;

/** BayesNAS results: per switch group its final hyperparameters for people, and every iteration's log as JSON. */
public final class BayesReport {
    private BayesReport() {
    }

    /** One line per group of the last update (γ, ω, mean C, mean H, kept or pruned), then the genotype. */
    public static String text(BayesSearch.Result result, double seconds) {
        StringBuilder out = new StringBuilder(String.format("%-28s %12s %12s %12s %12s  %s%n", "group", "gamma",
                "omega", "mean C", "mean H", "entropy rule"));
        long pruned = 0;
        for (GroupUpdate update : result.last()) {
            pruned += update.pruned() ? 1 : 0;
            out.append(String.format("%-28s %12.5g %12.5g %12.5g %12.5g  %s%n", update.group().label(), update.gamma(),
                    update.omega(), update.meanCovariance(), update.meanHessian(),
                    update.pruned() ? "pruned" : "kept"));
        }
        out.append(String.format("%d of %d switch groups pruned, %.1f s%n", pruned, result.last().size(), seconds));
        out.append("genotype: ").append(result.genotype()).append(System.lineSeparator());
        return out.toString();
    }

    public static String json(BayesSearchSettings settings, String dataset, int trainImages,
                              BayesSearch.Result result, double seconds) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("method").value(BayesSection.METHOD);
        json.name("dataset").value(dataset);
        json.name("train_images").value(trainImages);
        json.name("channels").value(settings.layout().channels());
        json.name("topology").value(settings.layout().topology().name());
        json.name("lambda_origin").value(settings.lambdas().lambdaOrigin());
        json.name("lambda_op").value(settings.lambdas().lambdaOp());
        json.name("batch").value(settings.batch());
        json.name("seed").value(settings.seed());
        json.name("seconds").value(seconds);
        json.name("genotype").value(result.genotype().toString());
        json.name("iterations").beginArray();
        for (List<GroupUpdate> iteration : result.iterations()) {
            json.beginArray();
            for (GroupUpdate update : iteration) {
                group(json, update);
            }
            json.endArray();
        }
        json.endArray();
        return json.endObject().toString();
    }

    private static void group(JsonWriter json, GroupUpdate update) {
        json.beginObject();
        json.name("group").value(update.group().label());
        json.name("gamma").value(update.gamma());
        json.name("omega").value(update.omega());
        json.name("pruned").value(update.pruned());
        array(json.name("switches"), update.switches());
        array(json.name("hessians"), update.hessians());
        array(json.name("covariances"), update.covariances());
        json.endObject();
    }

    private static void array(JsonWriter json, double[] values) {
        json.beginArray();
        for (double value : values) {
            json.value(value);
        }
        json.endArray();
    }
}
