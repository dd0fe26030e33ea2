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
import dev.jnas.metrics.TrainingFreeScorer;
import dev.jnas.space.nb201.Nb201Architecture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
        try (PeerEngines workers = PeerEngines.open(threads)) {
            exact = protocol.time(() -> score(workers.engines(), BnCoupling.EXACT, cells));
            frozen = protocol.time(() -> score(workers.engines(), BnCoupling.FROZEN, cells));
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
    private Scores score(List<Engine> engines, BnCoupling coupling, List<Nb201Architecture> cells) {
        double[] kappa = new double[cells.size()];
        double[] regions = new double[cells.size()];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(engines.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Engine engine : engines) {
                TrainingFreeScorer scorer = new TrainingFreeScorer(engine, settings(coupling), new GaussianProbeData());
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < cells.size(); i = next.getAndIncrement()) {
                        Score score = scorer.score(cells.get(i), 0);
                        kappa[i] = score.value(MetricKind.NTK).orElse(Double.NaN);
                        regions[i] = score.value(MetricKind.LINEAR_REGIONS).orElse(Double.NaN);
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("scoring a cell failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        } finally {
            pool.shutdownNow();
        }
        return new Scores(kappa, regions);
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
