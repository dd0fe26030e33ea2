package dev.jnas.report;

import dev.jnas.metrics.MetricFlags;
import dev.jnas.search.tenas.Candidate;
import dev.jnas.search.tenas.PruningSpace;
import dev.jnas.search.tenas.RankedCandidate;
import dev.jnas.search.tenas.RoundResult;
import dev.jnas.search.tenas.TenasPruner;
import java.util.Locale;
import java.util.Optional;

/** A TE-NAS search's results as text (per-round ranking tables, the final architecture) and as JSON. */
public final class TenasReport {
    /** The searched NB201 cell's row of the benchmark table. */
    public record BenchmarkRow(int index, double cifar10, double cifar100, double imagenet16) {
    }

    /** What a report says besides the rounds. */
    public record Run(String space, long seed, String settings, String device, double seconds,
                      TenasPruner.Result result, Optional<BenchmarkRow> benchmark) {
    }

    private TenasReport() {
    }

    /** One round: a heading with its timing and the unpruned network's metrics, then its ranking table. */
    public static String roundText(PruningSpace space, RoundResult round, boolean fromStore) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT,
                "round %d (%s): %d candidates, %.2f s (kappa %.2f s, regions %.2f s)%s; unpruned kappa %s, regions %s%s%n",
                round.round() + 1, round.scope(), round.ranking().size(), round.seconds(), round.kappaSeconds(),
                round.regionSeconds(), fromStore ? " (from the store)" : "", number(round.baseKappa()), number(round.baseRegions()),
                round.flags() == 0 ? "" : ", flags " + MetricFlags.format(round.flags())));
        boolean cellColumn = space.cellTypes().size() > 1;
        text.append(String.format(Locale.ROOT, "  %s%-6s %-14s %9s %9s %6s %6s %4s  %s%n", cellColumn ? "cell    " : "",
                "edge", "op", "d_kappa", "d_regions", "rank_k", "rank_r", "sum", "pruned"));
        for (RankedCandidate row : round.ranking()) {
            Candidate c = row.candidate();
            text.append(String.format(Locale.ROOT, "  %s%-6s %-14s %9s %9s %6d %6d %4d  %s%n",
                    cellColumn ? String.format("%-8s", space.cellTypes().get(c.cellType())) : "",
                    space.edgeLabel(c.edge()), space.ops().get(c.op()), number(row.deltaKappa()),
                    number(row.deltaRegions()), row.rankKappa(), row.rankRegions(), row.rankSum(),
                    row.pruned() ? "yes" : ""));
        }
        return text.toString();
    }

    /** The closing lines: the architecture, its benchmark accuracies where known, and the time. */
    public static String summaryText(Run run) {
        StringBuilder text = new StringBuilder();
        text.append("searched architecture: ").append(run.result().architecture()).append('\n');
        run.benchmark().ifPresent(row -> text.append(String.format(Locale.ROOT,
                "NB201 index %d: CIFAR-10 %.2f, CIFAR-100 %.2f, ImageNet16-120 %.2f (test accuracy, 200 epochs)%n",
                row.index(), row.cifar10(), row.cifar100(), row.imagenet16())));
        int rounds = run.result().rounds().size();
        text.append(String.format(Locale.ROOT, "search: %.1f s, %d rounds (%d from the store), seed %d, %s, on %s%n",
                run.seconds(), rounds, run.result().resumedRounds(), run.seed(), run.settings(), run.device()));
        return text.toString();
    }

    public static String json(PruningSpace space, Run run) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("method").value(TenasSection.METHOD);
        json.name("space").value(run.space());
        json.name("seed").value(run.seed());
        json.name("settings").value(run.settings());
        json.name("device").value(run.device());
        json.name("architecture").value(run.result().architecture());
        json.name("mask").value(run.result().mask().encode());
        run.benchmark().ifPresent(row -> {
            json.name("nb201").beginObject();
            json.name("index").value(row.index());
            json.name("cifar10").value(row.cifar10());
            json.name("cifar100").value(row.cifar100());
            json.name("imagenet16_120").value(row.imagenet16());
            json.endObject();
        });
        json.name("seconds").value(run.seconds());
        json.name("resumed_rounds").value(run.result().resumedRounds());
        json.name("rounds").beginArray();
        for (RoundResult round : run.result().rounds()) {
            roundJson(json, space, round);
        }
        json.endArray();
        return json.endObject().toString();
    }

    private static void roundJson(JsonWriter json, PruningSpace space, RoundResult round) {
        json.beginObject();
        json.name("round").value(round.round() + 1);
        json.name("scope").value(round.scope());
        json.name("seconds").value(round.seconds());
        json.name("kappa_seconds").value(round.kappaSeconds());
        json.name("region_seconds").value(round.regionSeconds());
        json.name("base_kappa").value(round.baseKappa());
        json.name("base_regions").value(round.baseRegions());
        json.name("flags").value(MetricFlags.format(round.flags()));
        json.name("mask_after").value(round.maskAfter().encode());
        json.name("ranking").beginArray();
        for (RankedCandidate row : round.ranking()) {
            Candidate c = row.candidate();
            json.beginObject();
            json.name("cell").value(space.cellTypes().get(c.cellType()));
            json.name("edge").value(space.edgeLabel(c.edge()));
            json.name("op").value(space.ops().get(c.op()));
            json.name("delta_kappa").value(row.deltaKappa());
            json.name("delta_regions").value(row.deltaRegions());
            json.name("rank_kappa").value(row.rankKappa());
            json.name("rank_regions").value(row.rankRegions());
            json.name("rank_sum").value(row.rankSum());
            json.name("pruned").value(row.pruned());
            json.endObject();
        }
        json.endArray();
        json.endObject();
    }

    /** Up to 4 decimals, the way the deltas were rounded (to 3) stays readable; non-finite values by name. */
    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 1e5 ? "%.4g" : "%.4f", value);
    }
}
