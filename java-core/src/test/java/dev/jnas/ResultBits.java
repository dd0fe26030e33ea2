package dev.jnas;

import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.Score;
import dev.jnas.search.tenas.RankedCandidate;
import dev.jnas.search.tenas.RoundResult;
import dev.jnas.search.tenas.TenasPruner;
import java.util.ArrayList;
import java.util.List;

/**
 * Results as lists whose equality means bit identity: every double as its raw bits (doubleToRawLongBits), so
 * two NaNs of different payloads differ and -0.0 differs from 0.0. Wall times are left out.
 */
final class ResultBits {
    private ResultBits() {
    }

    /** The flags, then every metric's bits in MetricKind order (a metric not computed is absent). */
    static List<Long> of(Score score) {
        List<Long> bits = new ArrayList<>(List.of((long) score.flags()));
        for (MetricKind metric : MetricKind.values()) {
            score.value(metric).ifPresent(value -> bits.add(Double.doubleToRawLongBits(value)));
        }
        return bits;
    }

    /** The searched architecture, then per round the base κ and regions, the mask and every ranked candidate. */
    static List<Object> of(TenasPruner.Result result) {
        List<Object> bits = new ArrayList<>(List.of(result.architecture()));
        for (RoundResult round : result.rounds()) {
            bits.add(Double.doubleToRawLongBits(round.baseKappa()));
            bits.add(Double.doubleToRawLongBits(round.baseRegions()));
            bits.add(round.maskAfter().encode());
            for (RankedCandidate candidate : round.ranking()) {
                bits.addAll(List.of(candidate.candidate(), Double.doubleToRawLongBits(candidate.deltaKappa()),
                        Double.doubleToRawLongBits(candidate.deltaRegions()), candidate.pruned()));
            }
        }
        return bits;
    }
}
