package dev.jnas.search.tenas;

import java.util.List;

/**
 * One finished step of a TE-NAS search, as checkpointed: an op-pruning round over every edge, or one node's
 * edge pruning.
 *
 * @param round        0-based position in the search
 * @param scope        what the round pruned, e.g. "ops" or "edges of normal node 3"
 * @param ranking      the candidates in pruning order, pruned ones marked
 * @param baseKappa    κ of the unpruned network, averaged over repeats
 * @param baseRegions  linear regions of the unpruned network, averaged over repeats
 * @param flags        OR of the spectrum flags of every κ measured in the round
 * @param seconds      wall time of the round
 * @param kappaSeconds  time spent measuring κ (NTK and its spectrum), summed over the workers
 * @param regionSeconds time spent counting linear regions, summed over the workers
 * @param maskAfter    the ops left after it
 */
public record RoundResult(int round, String scope, List<RankedCandidate> ranking, double baseKappa,
                          double baseRegions, int flags, double seconds, double kappaSeconds, double regionSeconds,
                          OpMask maskAfter) {
    public static final String OPS_SCOPE = "ops";

    public RoundResult {
        ranking = List.copyOf(ranking);
    }

    public boolean isOpRound() {
        return OPS_SCOPE.equals(scope);
    }
}
