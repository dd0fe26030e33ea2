package dev.jnas.search.tenas;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TE-NAS's ranking of a round's candidates. Δκ is ranked descending and ΔR ascending, each on its value rounded
 * to 3 significant figures, with dense ranks from 0 (equal values share a rank); the importance is the rank sum,
 * and candidates are ordered by it ascending, ties keeping their order in the Δκ-sorted list (both sorts are
 * stable, as Python's). Non-finite deltas (a NaN or infinite κ) have no meaningful order: NaN goes last in both
 * rankings, so such a candidate is the last to be pruned; infinities order as numbers.
 */
public final class TenasRanking {
    private static final MathContext SIGNIFICANT = new MathContext(3, RoundingMode.HALF_EVEN);

    /** A candidate's repeat-averaged deltas. */
    public record Scored(Candidate candidate, double deltaKappa, double deltaRegions) {
    }

    private TenasRanking() {
    }

    /** The candidates in pruning order (most prunable first), with their ranks; none marked pruned yet. */
    public static List<RankedCandidate> rank(List<Scored> scored) {
        List<Scored> byKappa = new ArrayList<>(scored);
        byKappa.sort(Comparator.comparing((Scored s) -> significant(s.deltaKappa()), TenasRanking::descendingNanLast));
        List<Scored> byRegions = new ArrayList<>(scored);
        byRegions.sort(Comparator.comparing((Scored s) -> significant(s.deltaRegions()),
                TenasRanking::ascendingNanLast));
        List<RankedCandidate> ranked = new ArrayList<>();
        for (Scored s : byKappa) {
            ranked.add(new RankedCandidate(s.candidate(), s.deltaKappa(), s.deltaRegions(),
                    denseRank(byKappa, s, true), denseRank(byRegions, s, false), false));
        }
        ranked.sort(Comparator.comparingInt(RankedCandidate::rankSum));
        return ranked;
    }

    /**
     * Marks, per edge, the first {@code min(pruneNumber, active ops − 1)} candidates of that edge in ranked (an
     * importance order) as pruned: TE-NAS's op round, which never empties an edge.
     */
    public static List<RankedCandidate> pruneOpsPerEdge(List<RankedCandidate> ranked, OpMask mask, int pruneNumber) {
        Map<List<Integer>, Integer> prunedPerEdge = new HashMap<>();
        List<RankedCandidate> marked = new ArrayList<>();
        for (RankedCandidate row : ranked) {
            Candidate c = row.candidate();
            int limit = Math.min(pruneNumber, mask.activeCount(c.cellType(), c.edge()) - 1);
            int count = prunedPerEdge.merge(List.of(c.cellType(), c.edge()), 1, Integer::sum);
            marked.add(count <= limit ? row.prune() : row);
        }
        return marked;
    }

    /**
     * Marks every candidate but the last {@code keep} of ranked as pruned: TE-NAS's edge pruning, which keeps the
     * inputs with the highest rank sums.
     */
    public static List<RankedCandidate> pruneAllButLast(List<RankedCandidate> ranked, int keep) {
        List<RankedCandidate> marked = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            marked.add(i < ranked.size() - keep ? ranked.get(i).prune() : ranked.get(i));
        }
        return marked;
    }

    /** Python's round(x, 3) of a double: half-even on its exact binary value. */
    public static double roundTo3Decimals(double x) {
        if (!Double.isFinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(3, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** x rounded to 3 significant figures (non-finite values unchanged). */
    static double significant(double x) {
        if (!Double.isFinite(x) || x == 0) {
            return x == 0 ? 0.0 : x; // folds -0.0 into 0.0 so that they tie
        }
        return new BigDecimal(x).round(SIGNIFICANT).doubleValue();
    }

    private static int denseRank(List<Scored> sorted, Scored target, boolean kappa) {
        int rank = 0;
        double previous = Double.NaN;
        boolean first = true;
        for (Scored s : sorted) {
            double value = significant(kappa ? s.deltaKappa() : s.deltaRegions());
            if (!first && Double.compare(value, previous) != 0) {
                rank++;
            }
            if (s == target) {
                return rank;
            }
            previous = value;
            first = false;
        }
        throw new IllegalArgumentException("candidate not in the list");
    }

    private static int descendingNanLast(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return Double.compare(b, a);
    }

    private static int ascendingNanLast(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return Double.compare(a, b);
    }
}
