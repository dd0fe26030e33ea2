package dev.jnas.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jnas.bench.BenchTable.Row;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.metrics.GaussianProbeData;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.Score;
import dev.jnas.metrics.SideBySide;
import dev.jnas.metrics.TrainingFreeScorer;
import dev.jnas.space.nb201.Nb201Architecture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Peer workload (a): TE-NAS's κ and linear regions for {@value #CELLS} NB201 cells, each from scratch (networks
 * built, weights and Gaussian inputs drawn, one repeat) by jnas's {@link TrainingFreeScorer} on one
 * single-threaded engine per core, and by bench/peer/kappa_regions.py (TE-NAS's per-sample backward loop). Exact
 * batch-norm coupling is the same Θ as PyTorch's; jnas's default, frozen coupling, is a different one and is shown
 * for its cost. The NTK batch is TE-NAS's 72, or 16 with --quick (the exact NTK costs B² sample passes).
 */
final class KappaRegionsPeer implements PeerWorkload {
    static final int CELLS = 20;

    private final int batch;
    private final PeerProtocol protocol;

    KappaRegionsPeer(boolean quick) {
        this.batch = quick ? 16 : Shapes.NTK_BATCH;
        this.protocol = quick ? new PeerProtocol(0, 1) : new PeerProtocol(1, 3);
    }

    /** {@value #CELLS} distinct cells drawn with seed 0 from all 15,625. */
    static List<Nb201Architecture> cells() {
        return new SplittableRandom(0).ints(0, Nb201Architecture.COUNT).distinct().limit(CELLS)
                .mapToObj(Nb201Architecture::fromOrdinal).toList();
    }

    @Override
    public Outcome measure(PythonPeer python, int threads) {
        List<Nb201Architecture> cells = cells();
        PeerProtocol.Timed<Scores> exact;
        PeerProtocol.Timed<Scores> frozen;
        try (PeerEngines engines = PeerEngines.open(threads);
             SideBySide<Engine> workers = new SideBySide<>(engines.engines(), "jnas-peer-worker")) {
            exact = protocol.time(() -> score(workers, BnCoupling.EXACT, cells));
            frozen = protocol.time(() -> score(workers, BnCoupling.FROZEN, cells));
        }
        List<String> arguments = new ArrayList<>(List.of("--batch", Integer.toString(batch)));
        cells.forEach(cell -> arguments.add(cell.toString()));
        JsonNode torch = python.run("kappa_regions.py", protocol, arguments);
        double torchSeconds = torch.get("seconds").asDouble();
        String name = "kappa+LR " + CELLS + " NB201 cells B=" + batch;
        List<Row> rows = PeerWorkload.couplingRows(name, exact.seconds(), frozen.seconds(), torchSeconds,
                "exact BN, TE-NAS's per-sample backward loop");
        Scores peer = new Scores(values(torch.get("kappa")), values(torch.get("regions")));
        String check = String.format(Locale.ROOT, "(a) median kappa: jnas exact %.4g, frozen %.4g, PyTorch %.4g; "
                + "mean regions: jnas %.1f, PyTorch %.1f (other weights and inputs: same order expected)",
                exact.result().medianKappa(), frozen.result().medianKappa(), peer.medianKappa(),
                exact.result().meanRegions(), peer.meanRegions());
        return new Outcome(rows, check);
    }

    private MetricSettings settings(BnCoupling coupling) {
        return new MetricSettings(EnumSet.of(MetricKind.NTK, MetricKind.LINEAR_REGIONS), batch, 1,
                InitScheme.PYTORCH_DEFAULT, coupling, GaussianProbeData.KEY);
    }

    /** Every cell scored by the next free worker; the scores do not depend on which. */
    private Scores score(SideBySide<Engine> workers, BnCoupling coupling, List<Nb201Architecture> cells) {
        List<Score> scores;
        try {
            scores = workers.map(cells, engine -> {
                TrainingFreeScorer scorer = new TrainingFreeScorer(engine, settings(coupling), new GaussianProbeData());
                return cell -> scorer.score(cell, 0);
            });
        } catch (RuntimeException e) {
            throw new IllegalStateException("scoring a cell failed", e);
        }
        return new Scores(values(scores, MetricKind.NTK), values(scores, MetricKind.LINEAR_REGIONS));
    }

    private static double[] values(List<Score> scores, MetricKind metric) {
        return scores.stream().mapToDouble(score -> score.value(metric).orElse(Double.NaN)).toArray();
    }

    private static double[] values(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble(Double.NaN);
        }
        return values;
    }

    /** κ and the region count per cell. */
    private record Scores(double[] kappa, double[] regions) {
        /** Over the cells with a finite κ (a cell whose output ignores its input has none). */
        double medianKappa() {
            return PeerProtocol.median(Arrays.stream(kappa).filter(Double::isFinite).boxed().toList());
        }

        double meanRegions() {
            return Arrays.stream(regions).average().orElse(Double.NaN);
        }
    }
}
