package dev.jnas.search.tenas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** TE-NAS's ranking and prune choices on hand-made tables, worked out by hand in the comments. */
class TenasRankingTest {
    private static final Candidate A = new Candidate(0, 0, 0);
    private static final Candidate B = new Candidate(0, 0, 1);
    private static final Candidate C = new Candidate(0, 1, 0);
    private static final Candidate D = new Candidate(0, 1, 1);
    private static final Candidate E = new Candidate(0, 1, 2);

    private static TenasRanking.Scored scored(Candidate c, double deltaKappa, double deltaRegions) {
        return new TenasRanking.Scored(c, deltaKappa, deltaRegions);
    }

    /*
     * Δκ descending (3 significant figures, stable): A 0.5, C 0.5, B 0.2, E 0.20004 -> 0.200, D 0.1
     *   dense ranks A0 C0 B1 E1 D2.
     * ΔR ascending: B -0.05, C 0, D 0, A 0.1, E 0.2 -> ranks B0 C1 D1 A2 E3.
     * Sums over the Δκ order [A, C, B, E, D] = [2, 1, 1, 4, 3]; stable ascending: C, B, A, D, E.
     */
    private static final List<TenasRanking.Scored> TABLE = List.of(scored(A, 0.5, 0.1), scored(B, 0.2, -0.05),
            scored(C, 0.5, 0.0), scored(D, 0.1, 0.0), scored(E, 0.20004, 0.2));

    @Test
    void tiesShareDenseRanksAndTheRankSumSortKeepsTheKappaOrder() {
        List<RankedCandidate> ranked = TenasRanking.rank(TABLE);
        assertEquals(List.of(C, B, A, D, E), ranked.stream().map(RankedCandidate::candidate).toList());
        assertEquals(List.of(0, 1, 0, 2, 1), ranked.stream().map(RankedCandidate::rankKappa).toList());
        assertEquals(List.of(1, 0, 2, 1, 3), ranked.stream().map(RankedCandidate::rankRegions).toList());
        assertEquals(List.of(1, 1, 2, 3, 4), ranked.stream().map(RankedCandidate::rankSum).toList());
    }

    @Test
    void oneOpPerEdgeIsPrunedTheFirstOfEachEdgeInImportanceOrder() {
        OpMask mask = OpMask.full(1, 2, 3).without(0, 0, 2); // edge 0 has ops 0, 1; edge 1 has 0, 1, 2
        List<RankedCandidate> marked = TenasRanking.pruneOpsPerEdge(TenasRanking.rank(TABLE), mask, 1);
        // C is edge 1's first, B edge 0's first; A (edge 0) comes after B, D and E after C.
        assertEquals(List.of(C, B), marked.stream().filter(RankedCandidate::pruned).map(RankedCandidate::candidate)
                .toList());
    }

    @Test
    void thePruneNumberNeverEmptiesAnEdge() {
        OpMask mask = OpMask.full(1, 2, 3).without(0, 0, 2);
        List<RankedCandidate> marked = TenasRanking.pruneOpsPerEdge(TenasRanking.rank(TABLE), mask, 3);
        // Edge 0 has 2 ops: 1 goes (B). Edge 1 has 3: 2 go (C, then D).
        assertEquals(List.of(C, B, D), marked.stream().filter(RankedCandidate::pruned)
                .map(RankedCandidate::candidate).toList());
    }

    @Test
    void edgePruningKeepsTheHighestRankSums() {
        List<RankedCandidate> marked = TenasRanking.pruneAllButLast(TenasRanking.rank(TABLE), 2);
        assertEquals(List.of(C, B, A), marked.stream().filter(RankedCandidate::pruned)
                .map(RankedCandidate::candidate).toList());
    }

    @Test
    void nanDeltasRankLastSoTheyAreNotPrunedFirst() {
        List<RankedCandidate> ranked = TenasRanking.rank(List.of(scored(A, Double.NaN, Double.NaN),
                scored(B, -1.0, 0.5), scored(C, 2.0, 0.1)));
        // κ: C0 B1 A2; R: C0 B1 A2; sums C0 B2 A4.
        assertEquals(List.of(C, B, A), ranked.stream().map(RankedCandidate::candidate).toList());
        assertEquals(2, ranked.get(2).rankKappa());
    }

    @Test
    void roundingIsPythonsRoundOnTheExactBinaryValue() {
        // Python: round(1.0005, 3) == 1.0, round(0.0005, 3) == 0.001, round(2.6755, 3) == 2.675,
        // round(-0.0015, 3) == -0.002, round(0.1235, 3) == 0.123
        assertEquals(1.0, TenasRanking.roundTo3Decimals(1.0005));
        assertEquals(0.001, TenasRanking.roundTo3Decimals(0.0005));
        assertEquals(2.675, TenasRanking.roundTo3Decimals(2.6755));
        assertEquals(-0.002, TenasRanking.roundTo3Decimals(-0.0015));
        assertEquals(0.123, TenasRanking.roundTo3Decimals(0.1235));
        assertEquals(Double.NEGATIVE_INFINITY, TenasRanking.roundTo3Decimals(Double.NEGATIVE_INFINITY));
        assertEquals(0.123, TenasRanking.significant(0.12345));
        assertEquals(-45600.0, TenasRanking.significant(-45649.0));
    }
}
