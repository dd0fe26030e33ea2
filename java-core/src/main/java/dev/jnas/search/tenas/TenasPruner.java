package dev.jnas.search.tenas;

import dev.jnas.bindings.Engine;
import dev.jnas.metrics.ProbeData;
import dev.jnas.metrics.SeedStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * TE-NAS's pruning-by-importance search (paper Algorithm 1 with the public code's relative, rounded deltas).
 * Op rounds run until every edge has one op: each round scores every active op of every edge with more than
 * one, ranks them ({@link TenasRanking}) and prunes the lowest-ranked per edge. Spaces with node edge groups
 * (DARTS) then prune edges one group at a time, keeping the inputs with the highest rank sums.
 *
 * <p>Unlike the public code, each round measures the unpruned network once per repeat rather than once per
 * candidate, on the same weights and inputs as every candidate of that repeat; and every draw derives from
 * (seed, round, repeat) alone, so a search resumed from its checkpoints gives the same result as one that ran
 * through.
 */
public final class TenasPruner {
    /** Progress and results as they happen. */
    public interface Listener {
        /** done of total network measurements of the round are finished. */
        default void onProgress(int round, String scope, int done, int total) {
        }

        /** A round finished, or was read back from the checkpoints (fromStore). */
        default void onRound(RoundResult round, boolean fromStore) {
        }
    }

    /** The searched architecture in the space's notation, its mask, and every round. */
    public record Result(String architecture, OpMask mask, List<RoundResult> rounds, int resumedRounds) {
        public Result {
            rounds = List.copyOf(rounds);
        }
    }

    private final PruningSpace space;
    private final TenasSettings settings;
    private final long seed;

    public TenasPruner(PruningSpace space, TenasSettings settings, long seed) {
        this.space = Objects.requireNonNull(space, "space");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
    }

    /**
     * Runs (or resumes) the search. Each engine gets a worker that measures candidates in parallel with the
     * others (one engine: sequential); the result does not depend on the number of engines.
     */
    public Result run(List<Engine> engines, ProbeData data, RoundCheckpoints checkpoints, Listener listener) {
        List<RoundResult> rounds = new ArrayList<>(checkpoints.finished());
        OpMask mask = OpMask.full(space.cellTypes().size(), space.edges(), space.ops().size());
        for (int i = 0; i < rounds.size(); i++) {
            RoundResult stored = rounds.get(i);
            if (stored.round() != i || !sameShape(stored.maskAfter(), mask)) {
                throw new IllegalStateException("the stored rounds of this search do not fit it (round " + i
                        + " is stored as round " + stored.round() + " with mask " + stored.maskAfter() + ")");
            }
            mask = stored.maskAfter();
            listener.onRound(stored, true);
        }
        int resumed = rounds.size();
        List<EdgeGroup> edgeGroups = edgeGroups();
        MeasurementPool metrics = null;
        try {
            while (true) {
                int round = rounds.size();
                boolean opRound = !mask.isSinglePath();
                int edgeStep = round - (int) rounds.stream().filter(RoundResult::isOpRound).count();
                if (!opRound && edgeStep >= edgeGroups.size()) {
                    break;
                }
                if (metrics == null) {
                    metrics = MeasurementPool.open(engines, space, settings.metrics(), data,
                            settings.candidatesPerCall());
                }
                RoundResult result = opRound ? opRound(metrics, round, mask, listener)
                        : edgeRound(metrics, round, mask, edgeGroups.get(edgeStep), listener);
                checkpoints.save(result);
                rounds.add(result);
                mask = result.maskAfter();
                listener.onRound(result, false);
            }
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
        return new Result(space.describe(mask), mask, rounds, resumed);
    }

    private RoundResult opRound(MeasurementPool metrics, int round, OpMask mask, Listener listener) {
        long start = System.nanoTime();
        List<Candidate> candidates = new ArrayList<>();
        for (int t = 0; t < mask.cellTypes(); t++) {
            for (int e = 0; e < mask.edges(); e++) {
                if (mask.activeCount(t, e) > 1) {
                    for (int op = 0; op < mask.ops(); op++) {
                        if (mask.isActive(t, e, op)) {
                            candidates.add(new Candidate(t, e, op));
                        }
                    }
                }
            }
        }
        Scores scores = score(metrics, round, RoundResult.OPS_SCOPE, mask, candidates, listener);
        List<RankedCandidate> ranked = TenasRanking.pruneOpsPerEdge(TenasRanking.rank(scores.scored), mask,
                settings.pruneNumber());
        OpMask after = applyPrunes(mask, ranked);
        return scores.result(round, RoundResult.OPS_SCOPE, ranked, after, start);
    }

    private RoundResult edgeRound(MeasurementPool metrics, int round, OpMask mask, EdgeGroup group,
                                  Listener listener) {
        long start = System.nanoTime();
        List<Candidate> candidates = new ArrayList<>();
        for (int e = group.first; e < group.end; e++) {
            int op = mask.singleOp(group.cellType, e);
            if (op >= 0) {
                candidates.add(new Candidate(group.cellType, e, op));
            }
        }
        String scope = "edges " + space.edgeLabel(group.first) + ".." + space.edgeLabel(group.end - 1) + " of "
                + space.cellTypes().get(group.cellType);
        Scores scores = score(metrics, round, scope, mask, candidates, listener);
        List<RankedCandidate> ranked = TenasRanking.pruneAllButLast(TenasRanking.rank(scores.scored),
                space.edgesKeptPerNode());
        OpMask after = applyPrunes(mask, ranked);
        return scores.result(round, scope, ranked, after, start);
    }

    /** Repeat-averaged deltas of every candidate and the unpruned network's means. */
    private Scores score(MeasurementPool metrics, int round, String scope, OpMask mask, List<Candidate> candidates,
                         Listener listener) {
        int repeats = settings.metrics().repeats();
        double[] deltaKappa = new double[candidates.size()];
        double[] deltaRegions = new double[candidates.size()];
        Scores scores = new Scores();
        long roundSeed = SeedStreams.derive(seed, round, SeedStreams.Stream.SEARCH_ROUND);
        List<OpMask> masks = new ArrayList<>();
        masks.add(mask); // the unpruned network first, then every candidate
        for (Candidate c : candidates) {
            masks.add(mask.without(c.cellType(), c.edge(), c.op()));
        }
        int total = repeats * masks.size();
        List<MeasurementPool.Draw> draws = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            int weightRepeat = settings.draws() == RepeatDraws.FRESH ? r : 0;
            draws.add(new MeasurementPool.Draw(
                    SeedStreams.derive(roundSeed, weightRepeat, SeedStreams.Stream.KAPPA_WEIGHTS),
                    SeedStreams.derive(roundSeed, r, SeedStreams.Stream.KAPPA_BATCH)));
        }
        List<List<SupernetMetrics.Measurement>> byRepeat = metrics.measure(draws, masks,
                done -> listener.onProgress(round, scope, done, total));
        for (List<SupernetMetrics.Measurement> measured : byRepeat) {
            SupernetMetrics.Measurement base = measured.get(0);
            scores.add(base);
            for (int i = 0; i < candidates.size(); i++) {
                SupernetMetrics.Measurement pruned = measured.get(i + 1);
                scores.time(pruned);
                deltaKappa[i] += TenasRanking.roundTo3Decimals((base.kappa() - pruned.kappa()) / base.kappa());
                deltaRegions[i] += TenasRanking.roundTo3Decimals((base.regions() - pruned.regions()) / base.regions());
            }
        }
        for (int i = 0; i < candidates.size(); i++) {
            scores.scored.add(new TenasRanking.Scored(candidates.get(i), deltaKappa[i] / repeats,
                    deltaRegions[i] / repeats));
        }
        scores.repeats = repeats;
        return scores;
    }

    private static OpMask applyPrunes(OpMask mask, List<RankedCandidate> ranked) {
        OpMask after = mask;
        for (RankedCandidate row : ranked) {
            if (row.pruned()) {
                Candidate c = row.candidate();
                after = after.without(c.cellType(), c.edge(), c.op());
            }
        }
        return after;
    }

    private List<EdgeGroup> edgeGroups() {
        List<EdgeGroup> groups = new ArrayList<>();
        for (int t = 0; t < space.cellTypes().size(); t++) {
            for (int[] range : space.nodeEdgeGroups()) {
                if (range[1] - range[0] > space.edgesKeptPerNode()) {
                    groups.add(new EdgeGroup(t, range[0], range[1]));
                }
            }
        }
        return groups;
    }

    private static boolean sameShape(OpMask a, OpMask b) {
        return a.cellTypes() == b.cellTypes() && a.edges() == b.edges() && a.ops() == b.ops();
    }

    /** The incoming edges [first, end) of one node of one cell type. */
    private record EdgeGroup(int cellType, int first, int end) {
    }

    /** A round's scored candidates and the sums behind the unpruned network's means. */
    private static final class Scores {
        final List<TenasRanking.Scored> scored = new ArrayList<>();
        double kappaSum;
        double regionsSum;
        int flags;
        int repeats;
        double kappaSeconds;
        double regionSeconds;

        void add(SupernetMetrics.Measurement base) {
            kappaSum += base.kappa();
            regionsSum += base.regions();
            time(base);
        }

        void time(SupernetMetrics.Measurement measurement) {
            flags |= measurement.flags();
            kappaSeconds += measurement.kappaSeconds();
            regionSeconds += measurement.regionSeconds();
        }

        RoundResult result(int round, String scope, List<RankedCandidate> ranked, OpMask after, long start) {
            return new RoundResult(round, scope, ranked, kappaSum / repeats, regionsSum / repeats, flags,
                    (System.nanoTime() - start) / 1e9, kappaSeconds, regionSeconds, after);
        }
    }
}
