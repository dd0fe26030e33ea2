package dev.jnas.report;

import java.nio.file.Path;
import java.util.List;

import dev.jnas.search.sgnas.GeneratedArchitecture;
import dev.jnas.search.sgnas.SgnasRun;
import dev.jnas.search.sgnas.SgnasSearch;

/** SGNAS results as a table for people and as JSON for tools. */
public final class SgnasReport {
    private SgnasReport() {
    }

    /** One row per target: the architecture, its FLOPs both ways and its accuracy next to the random baseline. */
    public static String table(List<GeneratedArchitecture> architectures) {
        StringBuilder out = new StringBuilder(String.format("%10s %11s %8s %11s %9s %9s  %s%n", "target", "table",
                "error", "exact", "accuracy", "random", "architecture"));
        for (GeneratedArchitecture a : architectures) {
            out.append(String.format("%10.4f %11.4f %+7.2f%% %11.4f %8.2f%% %8.2f%%  %s%n", a.target(), a.tableFlops(),
                    100 * a.relativeError(), a.exactFlops(), 100 * a.accuracy(), 100 * a.randomAccuracy(),
                    a.architecture()));
        }
        return out.toString();
    }

    public static String text(SgnasSearch.Result result, double seconds) {
        return "generated architectures (MFLOPs; accuracy of the supernet path on the held-out split; random: mean of "
                + "up to " + SgnasSearch.BASELINE_ARCHITECTURES + " random architectures within ±"
                + Math.round(100 * SgnasSearch.BASELINE_FLOPS_TOLERANCE) + "% of the FLOPs)"
                + System.lineSeparator() + table(result.architectures())
                + String.format("Kendall tau(target, FLOPs) %.3f, total constraint loss %.4f, %.1f s%n",
                result.kendallTau(), result.totalConstraintLoss(), seconds);
    }

    public static String json(SgnasRun run, SgnasSearch.Result result, double seconds) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("method").value(SgnasSection.METHOD);
        json.name("layout").value(run.layout().spec());
        json.name("dataset").value(run.dataset());
        json.name("train_images").value(run.trainImages());
        json.name("held_out").value(run.heldOut());
        json.name("range").beginArray().value(run.range().low()).value(run.range().high()).endArray();
        json.name("seed").value(run.seed());
        json.name("kendall_tau").value(result.kendallTau());
        json.name("total_constraint_loss").value(result.totalConstraintLoss());
        json.name("seconds").value(seconds);
        json.name("architectures");
        architectures(json, result.architectures());
        return json.endObject().toString();
    }

    /** What {@code jnas generate sgnas --json} prints: the architectures for the asked targets. */
    public static String generatedJson(Path runDirectory, double generateSeconds,
                                       List<GeneratedArchitecture> architectures) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("method").value(SgnasSection.GENERATE_METHOD);
        json.name("run").value(runDirectory.toString());
        json.name("generate_seconds").value(generateSeconds);
        json.name("architectures");
        architectures(json, architectures);
        return json.endObject().toString();
    }

    /** The architectures as a JSON array. */
    private static void architectures(JsonWriter json, List<GeneratedArchitecture> architectures) {
        json.beginArray();
        for (GeneratedArchitecture a : architectures) {
            json.beginObject();
            json.name("target").value(a.target());
            json.name("architecture").value(a.architecture().toString());
            json.name("table_mflops").value(a.tableFlops());
            json.name("exact_mflops").value(a.exactFlops());
            json.name("accuracy").value(a.accuracy());
            json.name("random_accuracy").value(a.randomAccuracy());
            json.name("random_architectures").value(a.randomCount());
            json.endObject();
        }
        json.endArray();
    }
}
