package dev.jnas.report;

import dev.jnas.search.compress.Compression;
import dev.jnas.search.compress.CompressionSettings;
import dev.jnas.search.compress.UnitUpdate;
import java.util.Arrays;
import java.util.List;

/** BayesNAS compression results: a table of the networks for people, and the whole log (every switch) as JSON. */
public final class CompressReport {
    private CompressReport() {
    }

    /** One line per measurement (widths, parameters, MACs, test accuracy), then what pruning removed. */
    public static String text(Compression.Result result, double seconds) {
        StringBuilder out = new StringBuilder(String.format("%-11s %-24s %11s %11s %9s%n", "network", "widths",
                "parameters", "MACs", "accuracy"));
        for (Compression.Measurement m : result.measurements()) {
            out.append(String.format("%-11s %-24s %11d %11d %8.2f%%%n", m.label(), Arrays.toString(m.widths()),
                    m.parameters(), m.macs(), 100 * m.testAccuracy()));
        }
        Compression.Measurement trained = result.measurement(Compression.TRAINED);
        Compression.Measurement tuned = result.measurement(Compression.FINE_TUNED);
        out.append(String.format("parameters removed: %.2f%%, MACs removed: %.2f%%, %.1f s%n",
                100.0 * (trained.parameters() - tuned.parameters()) / trained.parameters(),
                100.0 * (trained.macs() - tuned.macs()) / trained.macs(), seconds));
        return out.toString();
    }

    public static String json(CompressionSettings settings, String model, String dataset, int trainImages,
                              Compression.Result result, double seconds) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("method").value(CompressSection.METHOD);
        json.name("model").value(model);
        json.name("dataset").value(dataset);
        json.name("train_images").value(trainImages);
        json.name("lambda").value(settings.lambda());
        json.name("weight_epochs").value(settings.weightEpochs());
        json.name("joint_epochs").value(settings.jointEpochs());
        json.name("prune_iterations").value(settings.pruneIterations());
        json.name("fine_tune_epochs").value(settings.fineTuneEpochs());
        json.name("batch").value(settings.batch());
        json.name("learning_rate").value(settings.learningRate());
        json.name("fine_tune_learning_rate").value(settings.fineTuneLearningRate());
        json.name("seed").value(settings.seed());
        json.name("seconds").value(seconds);
        json.name("networks").beginArray();
        for (Compression.Measurement m : result.measurements()) {
            json.beginObject();
            json.name("network").value(m.label());
            json.name("widths").beginArray();
            for (int width : m.widths()) {
                json.value(width);
            }
            json.endArray();
            json.name("parameters").value(m.parameters());
            json.name("macs").value(m.macs());
            json.name("test_accuracy").value(m.testAccuracy());
            json.endObject();
        }
        json.endArray();
        json.name("updates").beginArray();
        for (List<UnitUpdate> update : result.updates()) {
            json.beginArray();
            for (UnitUpdate unit : update) {
                json.beginObject();
                json.name("layer").value(unit.layer());
                json.name("unit").value(unit.unit());
                json.name("switch").value(unit.value());
                json.name("hessian").value(unit.hessian());
                json.name("covariance").value(unit.covariance());
                json.name("omega").value(unit.omega());
                json.name("gamma").value(unit.gamma());
                json.name("pruned").value(unit.pruned());
                json.endObject();
            }
            json.endArray();
        }
        json.endArray();
        return json.endObject().toString();
    }
}
