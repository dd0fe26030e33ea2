package dev.jnas.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jnas.bench.BenchTable.Row;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.metrics.GaussianProbeData;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.search.tenas.RepeatDraws;
import dev.jnas.search.tenas.RoundCheckpoints;
import dev.jnas.search.tenas.RoundResult;
import dev.jnas.search.tenas.TenasPruner;
import dev.jnas.search.tenas.TenasSettings;
import dev.jnas.space.nb201.Nb201PruningSpace;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Peer workload (b): the first op-pruning round of TE-NAS on NB201 (the unpruned supernet and its 24 candidates
 * per repeat, κ and regions each, then the ranking) by jnas's {@link TenasPruner} on one single-threaded engine per
 * core, and by bench/peer/pruning_round.py. The prune number is 3, so that 4 ops become 1 and the search ends after
 * this one round; a round costs the same whatever it prunes. Repeats: TE-NAS's 3, or 1 with --quick; NTK batch
 * 72, or 16 with --quick.
 */
final class PruningRoundPeer implements PeerWorkload {
    private static final int PRUNE_NUMBER = 3;

    private final int batch;
    private final int repeats;
    private final PeerProtocol protocol = new PeerProtocol(0, 1);

    PruningRoundPeer(boolean quick) {
        this.batch = quick ? 16 : Shapes.NTK_BATCH;
        this.repeats = quick ? 1 : MetricSettings.DEFAULT_REPEATS;
    }

    @Override
    public Outcome measure(PythonPeer python, int threads) {
        PeerProtocol.Timed<TenasPruner.Result> exact;
        PeerProtocol.Timed<TenasPruner.Result> frozen;
        try (PeerEngines workers = PeerEngines.open(threads)) {
            exact = protocol.time(() -> search(workers, BnCoupling.EXACT));
            frozen = protocol.time(() -> search(workers, BnCoupling.FROZEN));
        }
        JsonNode torch = python.run("pruning_round.py", protocol, List.of("--batch", Integer.toString(batch),
                "--repeats", Integer.toString(repeats), "--prune-number", Integer.toString(PRUNE_NUMBER)));
        double torchSeconds = torch.get("seconds").asDouble();
        String name = "TE-NAS round, 25 nets x" + repeats + " B=" + batch;
        List<Row> rows = PeerWorkload.couplingRows(name, exact.seconds(), frozen.seconds(), torchSeconds,
                "exact BN");
        RoundResult round = exact.result().rounds().get(0);
        String check = String.format(Locale.ROOT, "(b) unpruned supernet kappa: jnas exact %.4g, PyTorch %.4g; "
                + "regions: jnas %.0f, PyTorch %.0f; cell kept: jnas %s, PyTorch %s", round.baseKappa(),
                torch.get("base_kappa").asDouble(), round.baseRegions(), torch.get("base_regions").asDouble(),
                exact.result().architecture(), torch.get("kept").asText());
        return new Outcome(rows, check);
    }

    private TenasPruner.Result search(PeerEngines workers, BnCoupling coupling) {
        MetricSettings metrics = new MetricSettings(EnumSet.of(MetricKind.NTK, MetricKind.LINEAR_REGIONS), batch,
                repeats, InitScheme.PYTORCH_DEFAULT, coupling, GaussianProbeData.KEY);
        TenasSettings settings = new TenasSettings(metrics, RepeatDraws.FRESH, PRUNE_NUMBER);
        return new TenasPruner(new Nb201PruningSpace(), settings, 0).run(workers.engines(), new GaussianProbeData(),
                RoundCheckpoints.NONE, new TenasPruner.Listener() { });
    }
}
