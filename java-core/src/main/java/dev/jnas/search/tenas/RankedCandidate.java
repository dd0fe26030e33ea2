package dev.jnas.search.tenas;

/**
 * One row of a round's ranking table.
 *
 * @param deltaKappa   mean over repeats of round((κ(N) − κ(N∖o)) / κ(N), 3)
 * @param deltaRegions mean over repeats of round((R(N) − R(N∖o)) / R(N), 3)
 * @param rankKappa    dense rank of Δκ (3 significant figures), descending: 0 = removing o lowers κ most
 * @param rankRegions  dense rank of ΔR (3 significant figures), ascending: 0 = removing o costs fewest regions
 * @param pruned       whether the round pruned it
 */
public record RankedCandidate(Candidate candidate, double deltaKappa, double deltaRegions, int rankKappa,
                              int rankRegions, boolean pruned) {
    /** TE-NAS's importance: the lower, the sooner pruned. */
    public int rankSum() {
        return rankKappa + rankRegions;
    }

    RankedCandidate prune() {
        return new RankedCandidate(candidate, deltaKappa, deltaRegions, rankKappa, rankRegions, true);
    }
}
